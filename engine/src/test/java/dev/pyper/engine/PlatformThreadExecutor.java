package dev.pyper.engine;

/** The engine on a new platform thread per worker: the plainest executor, for the engine's own tests. */
final class PlatformThreadExecutor extends EngineExecutor {

    PlatformThreadExecutor() {
        this((name, body) -> Thread.ofPlatform().name(name).start(body));
    }

    PlatformThreadExecutor(WorkerLauncher launcher) {
        super("platform", new Engine(launcher));
    }
}
