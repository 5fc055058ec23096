package dev.pyper.process;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Frames as built by {@link FrameOut} and read by {@link FrameIn}, without a process. */
class FrameTest {

    private static FrameIn read(ByteBuffer frame) {
        int length = frame.getInt();
        assertEquals(frame.remaining(), length);
        byte type = frame.get();
        return new FrameIn(type, frame.slice());
    }

    @Test
    void everyEncodingRoundTrips() throws Exception {
        List<Object> values = Arrays.asList(
                null,
                7,
                -8L,
                2.5,
                true,
                "héllo",
                List.of(1, "x"),
                new java.math.BigInteger("123456789012345678901234567890"));
        FrameOut out = new FrameOut().begin(FrameType.OUTPUT).putString("name").putInt(42);
        values.forEach(out::putValue);
        out.putValue(new byte[] {1, 2, 3});
        FrameIn in = read(out.end());
        assertEquals(FrameType.OUTPUT, in.type());
        assertEquals("name", in.getString());
        assertEquals(42, in.getInt());
        for (Object v : values) {
            assertEquals(v, in.getValue(getClass().getClassLoader()));
        }
        assertArrayEquals(new byte[] {1, 2, 3}, (byte[]) in.getValue(getClass().getClassLoader()));
    }

    @Test
    void aValueThatCannotBeSerializedLeavesTheFrameAsItWas() throws Exception {
        FrameOut out = new FrameOut().begin(FrameType.ITEM).putValue(1);
        FrameOut.NotSerializableValueException e = assertThrows(
                FrameOut.NotSerializableValueException.class, () -> out.putValue(List.of(1, new Object())));
        assertTrue(e.getMessage().contains("java.util"), e.getMessage());
        out.putValue(2);
        FrameIn in = read(out.end());
        assertEquals(1, in.getValue(getClass().getClassLoader()));
        assertEquals(2, in.getValue(getClass().getClassLoader()));
    }

    @Test
    void aLargeFrameGrowsTheBuffer() throws Exception {
        byte[] big = new byte[1 << 20];
        Arrays.fill(big, (byte) 7);
        FrameIn in = read(new FrameOut().begin(FrameType.RESULT).putValue(big).end());
        assertArrayEquals(big, (byte[]) in.getValue(getClass().getClassLoader()));
    }
}
