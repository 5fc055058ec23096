package dev.pyper.flink;

import org.apache.flink.api.common.serialization.SerializerConfig;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;

/**
 * Flink's type information for {@link Item}: every edge of a pyper job carries items, serialized by
 * {@link ItemSerializer} (rule 1.6), so that no Kryo reflection, and no {@code --add-opens}, is
 * needed for the user's values.
 */
final class ItemType extends TypeInformation<Item> {

    private static final long serialVersionUID = 1L;

    /** The one instance. */
    static final ItemType INSTANCE = new ItemType();

    private ItemType() {}

    @Override
    public boolean isBasicType() {
        return false;
    }

    @Override
    public boolean isTupleType() {
        return false;
    }

    @Override
    public int getArity() {
        return 1;
    }

    @Override
    public int getTotalFields() {
        return 1;
    }

    @Override
    public Class<Item> getTypeClass() {
        return Item.class;
    }

    @Override
    public boolean isKeyType() {
        return false;
    }

    @Override
    public TypeSerializer<Item> createSerializer(SerializerConfig config) {
        return ItemSerializer.INSTANCE;
    }

    @Override
    public String toString() {
        return "PyperItem";
    }

    @Override
    public boolean equals(Object obj) {
        return obj instanceof ItemType;
    }

    @Override
    public int hashCode() {
        return ItemType.class.hashCode();
    }

    @Override
    public boolean canEqual(Object obj) {
        return obj instanceof ItemType;
    }
}
