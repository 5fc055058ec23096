package dev.pyper.micrometer;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * What {@link PipelineRunMetrics} and {@link MeteredPipeline} share: the registries a source is
 * bound to, the meters registered in each, and their removal.
 *
 * <p>Two bindings with the same tags in one registry would share meters (Micrometer hands the
 * second the first's), and closing one would remove the other's. So every binding registers
 * under one lock, and a second binding of the same pipeline name and tags to a registry is
 * refused while the first is open. A binding's meters are removed under the same lock, so that
 * a binding that follows never sees half of them. A binding that was dropped without being
 * closed holds its tags only until it is collected: the next binding of those tags removes its
 * meters (which read nothing by then) and takes its place.
 */
final class MeterBinding {

    private static final Object LOCK = new Object();
    /** The open bindings' meters, per registry and tags. Weak keys: a registry that is gone takes its entry along. Guarded by LOCK. */
    private static final Map<MeterRegistry, Map<Tags, Registered>> OPEN = new WeakHashMap<>();

    private final MeterSource source;
    private final String what;
    private final Tags tags;
    /** The meters registered, per registry; cleared when closed. Guarded by LOCK. */
    private final Map<MeterRegistry, Registered> registered = new LinkedHashMap<>();

    private boolean closed;

    /** One binding's meters in one registry. */
    private static final class Registered {
        /** Weak, so that a binding dropped without close does not hold its tags for ever. */
        final WeakReference<MeterBinding> owner;

        final List<Meter> meters = new ArrayList<>();
        boolean tasks;

        Registered(MeterBinding owner) {
            this.owner = new WeakReference<>(owner);
        }
    }

    /**
     * @param what the binder, for messages: {@code "PipelineRunMetrics"}
     */
    MeterBinding(MeterSource source, String what, String pipelineName, Iterable<Tag> tags) {
        if (pipelineName == null || pipelineName.isBlank()) {
            throw new IllegalArgumentException(
                    what + ": the pipeline name is null or blank; give each pipeline a name of its own");
        }
        if (tags == null) {
            throw new IllegalArgumentException(
                    what + ": the tags are null (pipeline '" + pipelineName + "'); pass Tags.empty()");
        }
        this.source = source;
        this.what = what;
        this.tags = Tags.of(tags).and("pipeline", pipelineName);
    }

    void bindTo(MeterRegistry registry) {
        if (registry == null) {
            throw new IllegalArgumentException(what + ".bindTo: the registry is null (" + tags + ")");
        }
        synchronized (LOCK) {
            if (closed) {
                throw new IllegalStateException(what + " is closed: bind a new one (" + tags + ")");
            }
            if (registered.containsKey(registry)) {
                return;
            }
            Map<Tags, Registered> open = OPEN.computeIfAbsent(registry, r -> new HashMap<>());
            Registered other = open.get(tags);
            if (other != null && other.owner.get() != null) {
                throw new IllegalStateException(
                        "A binding with " + tags + " is already open in this registry: its meters"
                                + " would be shared. Close it first, give this pipeline another name or tag, or, for runs"
                                + " of one pipeline that overlap, bind them all through one MeteredPipeline");
            }
            if (other != null) { // dropped without close: its meters go
                other.meters.forEach(registry::remove);
            }
            Registered r = new Registered(this);
            open.put(tags, r);
            registered.put(registry, r);
            try {
                Meters.ofRuns(registry, source, tags, r.meters);
                registerTasks(registry, r);
            } catch (RuntimeException e) { // a meter filter or the registry refused one: leave nothing behind
                r.meters.forEach(registry::remove);
                open.remove(tags, r);
                registered.remove(registry);
                throw e;
            }
        }
    }

    /** Registers the task meters in every registry that lacks them, now that the source knows the tasks. */
    void tasksKnown() {
        synchronized (LOCK) {
            registered.forEach(this::registerTasks);
        }
    }

    private void registerTasks(MeterRegistry registry, Registered r) {
        List<String> names = source.taskNames();
        if (!r.tasks && names != null) {
            r.tasks = true;
            Meters.ofTasks(registry, source, names, tags, r.meters);
        }
    }

    /** Removes every meter from every registry, and lets the source go of what it watches. Idempotent. */
    void close() {
        synchronized (LOCK) {
            if (closed) {
                return;
            }
            closed = true;
            registered.forEach((registry, r) -> {
                r.meters.forEach(registry::remove);
                Map<Tags, Registered> open = OPEN.get(registry);
                if (open != null && open.remove(tags, r) && open.isEmpty()) {
                    OPEN.remove(registry);
                }
            });
            registered.clear();
        }
        source.release();
    }
}
