package dev.pyper.examples;

import static dev.pyper.Task.flatten;
import static dev.pyper.Task.generator;
import static dev.pyper.Task.joinGenerator;
import static dev.pyper.Task.named;
import static dev.pyper.Task.task;
import static dev.pyper.Task.throttle;
import static dev.pyper.Task.workers;

import dev.pyper.Pipeline;
import dev.pyper.PipelineException;
import dev.pyper.PipelineExecutor;
import dev.pyper.PipelineRun;
import dev.pyper.Task;
import dev.pyper.flink.FlinkExecutor;
import java.io.PrintWriter;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The demo: line, declaration and identifier statistics per module of a corpus of Java sources,
 * by default the running JDK's own ({@code lib/src.zip}).
 *
 * <pre>
 *   list files ──▶ read (IO, --workers) ──▶ batch (--batch) ──▶ analyse (CPU, one per core) ──▶ flatten ──▶ join per module ──▶ table
 * </pre>
 *
 * <p>The table goes to standard output and is the same on every executor; progress, the per-task
 * figures and the wall time go to standard error, except the final {@code wall time} line, which
 * ends standard output.
 */
@Command(
        name = "source-stats",
        mixinStandardHelpOptions = true,
        version = "Pyper examples 0.1.0",
        sortOptions = false,
        usageHelpAutoWidth = true,
        description = "Counts lines (code, comment, blank), declared types and methods, and the most frequent "
                + "identifiers of a corpus of Java sources, per module, with a Pyper pipeline.")
public final class SourceStats implements Callable<Integer> {

    private static final Logger LOG = LoggerFactory.getLogger(SourceStats.class);

    /** How long a batch of files waits for more after its first one (rule 10.8). */
    static final Duration BATCH_WAIT = Duration.ofMillis(20);

    /** The line that ends standard output; the only one that varies between runs of one corpus. */
    static final String WALL_TIME = "wall time: ";

    @Spec
    private CommandSpec spec;

    @Option(
            names = "--input",
            paramLabel = "<dir|zip>",
            description = "A directory of .java files or a zip of them (default: the running JDK's lib/src.zip).")
    private Path input;

    @Option(
            names = "--executor",
            paramLabel = "<name>",
            defaultValue = "threads",
            completionCandidates = ExecutorNames.class,
            description =
                    "The executor that runs the pipeline: one of ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    private String executor;

    @Option(
            names = "--workers",
            paramLabel = "<n>",
            defaultValue = "16",
            description = "Workers of the read task (default: ${DEFAULT-VALUE}).")
    private int workers;

    @Option(
            names = "--batch",
            paramLabel = "<n>",
            defaultValue = "16",
            description = "Files per call of the analyse task, 1 for one at a time (default: ${DEFAULT-VALUE}).")
    private int batch;

    @Option(
            names = "--throttle",
            paramLabel = "<n>",
            defaultValue = "256",
            description = "Output buffer bound of every task, 0 for unbounded (default: ${DEFAULT-VALUE}).")
    private int throttle;

    @Option(
            names = "--top",
            paramLabel = "<n>",
            defaultValue = "3",
            description = "Most frequent identifiers shown per module and overall (default: ${DEFAULT-VALUE}).")
    private int top;

    @Option(names = "--quiet", description = "No progress or per-task figures on standard error.")
    private boolean quiet;

    @Option(
            names = "--flink-remote",
            paramLabel = "<host:port>",
            description =
                    "With --executor flink: the REST address of a Flink cluster's JobManager to run on, rather than an "
                            + "embedded cluster; the demo's jar is shipped to it with every run.")
    private String flinkRemote;

    @Option(
            names = "--flink-jar",
            paramLabel = "<jar>",
            description =
                    "With --flink-remote: the jar to ship, which holds the demo and Pyper (default: the jar the demo runs from).")
    private Path flinkJar;

    /**
     * Runs the demo and exits with its status: 0 on success, 1 when the run fails, 2 for bad
     * options or a missing input.
     *
     * @param args the command line; {@code --help} lists the options
     */
    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /**
     * The command, ready to execute. A bad option or input prints its message and a hint, not the
     * whole usage.
     *
     * @return the command line of a new {@code SourceStats}
     */
    static CommandLine commandLine() {
        return new CommandLine(new SourceStats()).setParameterExceptionHandler((e, args) -> {
            PrintWriter err = e.getCommandLine().getErr();
            err.println(e.getMessage());
            err.println("Run with --help for the options.");
            return e.getCommandLine().getCommandSpec().exitCodeOnInvalidInput();
        });
    }

    @Override
    public Integer call() throws Exception {
        Path location = input != null ? input : Path.of(System.getProperty("java.home"), "lib", "src.zip");
        if (input == null && !Files.exists(location)) {
            throw new ParameterException(
                    spec.commandLine(),
                    "The running JDK has no sources at " + location
                            + " (install its src.zip, or pass --input <directory or zip of .java files>)");
        }
        if (top < 0) {
            throw new ParameterException(spec.commandLine(), "--top must be 0 or more, was " + top);
        }
        try (Corpus corpus = openCorpus(location);
                PipelineExecutor chosen = executor()) {
            Pipeline<Corpus, ModuleStats> pipeline;
            try {
                pipeline = pipeline(corpus, workers, batch, throttle);
            } catch (IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(), e.getMessage(), e);
            }
            LOG.info(
                    "Source statistics of {} on executor '{}': {}",
                    input != null ? input : "the running JDK's sources (lib/src.zip)",
                    chosen.name(),
                    pipeline);
            return run(pipeline.on(chosen), corpus, chosen.name());
        }
    }

    /**
     * The pipeline: list → read → batch → analyse → flatten → join per module, one part per task,
     * each made by a {@link dev.pyper.Task} factory with its options as arguments. The list and join
     * functions emit their outputs, hence {@code generator} and {@code joinGenerator}. The read task
     * holds the corpus, so that one open zip serves every reader of a JVM. The analyse task takes
     * the files in lists of up to {@code batch}, none waiting more than {@link #BATCH_WAIT} for the
     * list to fill (rules 10.5 to 10.9), and {@code flatten} passes its statistics on one by one.
     * The batch task's bound holds whole batches: at least {@code batch} files (rule 10.7).
     *
     * @param corpus the corpus that the pipeline will be run on
     * @param readWorkers workers of the read task
     * @param batch files per call of the analyse task; 1 for a plain task of one file per call
     * @param throttle output buffer bound of every task, 0 for unbounded
     * @return the pipeline, whose input is the corpus
     * @throws IllegalArgumentException for a bad worker count, batch size or throttle, naming the
     *     task and the option
     */
    static Pipeline<Corpus, ModuleStats> pipeline(Corpus corpus, int readWorkers, int batch, int throttle) {
        int cores = Runtime.getRuntime().availableProcessors();
        Pipeline<Corpus, SourceText> read = Pipeline.of(
                generator(Corpus::list, named("list"), throttle(throttle)),
                task(corpus::read, named("read"), workers(readWorkers), throttle(throttle)));
        Pipeline<Corpus, FileStats> analysed = batch == 1
                ? read.pipe(task(SourceAnalysis::analyse, named("analyse"), workers(cores), throttle(throttle)))
                : read.pipe(Task.batch(
                                batch,
                                BATCH_WAIT,
                                named("batch"),
                                throttle(throttle == 0 ? 0 : Math.max(throttle, batch))))
                        .pipe(task(SourceAnalysis::analyseAll, named("analyse"), workers(cores), throttle(throttle)))
                        .pipe(flatten(named("files"), throttle(throttle)));
        return analysed.pipe(joinGenerator(ModuleJoin::byModule, named("join")));
    }

    private int run(Pipeline<Corpus, ModuleStats> pipeline, Corpus corpus, String executorName) {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        long start = System.nanoTime();
        List<ModuleStats> modules;
        try (PipelineRun<ModuleStats> run = pipeline.start(corpus)) {
            ProgressReporter progress =
                    quiet ? null : ProgressReporter.start(run::metrics, err, ProgressReporter.isTerminal());
            try {
                modules = run.outputs().toList();
            } finally {
                if (progress != null) {
                    progress.close();
                }
            }
            if (!quiet) {
                ProgressReporter.summary(run.metrics()).forEach(err::println);
            }
        } catch (PipelineException e) {
            err.println("The run failed: " + e.getMessage());
            LOG.debug("Run failure", e);
            return 1;
        }
        Duration wall = Duration.ofNanos(System.nanoTime() - start);
        StatsTable.render(modules, top).forEach(out::println);
        long files = modules.stream().mapToLong(ModuleStats::files).sum();
        out.println(String.format(
                Locale.ROOT,
                "%s%.2f s (%,d files, executor '%s')",
                WALL_TIME,
                wall.toNanos() / 1e9,
                files,
                executorName));
        out.flush();
        return 0;
    }

    private Corpus openCorpus(Path location) {
        try {
            return Corpus.open(location);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "--input: " + e.getMessage(), e);
        }
    }

    private PipelineExecutor executor() {
        if (flinkRemote != null || flinkJar != null) {
            return remoteFlink();
        }
        try {
            return PipelineExecutor.create(executor);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "--executor: " + e.getMessage(), e);
        }
    }

    /**
     * A Flink executor on the cluster that {@code --flink-remote} names, shipping {@code --flink-jar}
     * or else the jar that this class was loaded from: the cluster needs nothing of the demo's own.
     */
    private PipelineExecutor remoteFlink() {
        if (!FlinkExecutor.NAME.equals(executor)) {
            throw new ParameterException(
                    spec.commandLine(),
                    "--flink-remote and --flink-jar go with --executor flink, not '" + executor + "'");
        }
        if (flinkRemote == null) {
            throw new ParameterException(spec.commandLine(), "--flink-jar goes with --flink-remote <host:port>");
        }
        int colon = flinkRemote.lastIndexOf(':');
        int port;
        try {
            port = colon < 1 ? -1 : Integer.parseInt(flinkRemote.substring(colon + 1));
        } catch (NumberFormatException e) {
            port = -1;
        }
        if (port < 1 || port > 65535) {
            throw new ParameterException(
                    spec.commandLine(),
                    "--flink-remote must be host:port (the JobManager's REST port, 8081" + " by default), was '"
                            + flinkRemote + "'");
        }
        Path jar = flinkJar != null ? flinkJar : ownJar();
        if (!Files.isRegularFile(jar)) {
            throw new ParameterException(spec.commandLine(), "--flink-jar: no such file: " + jar);
        }
        return FlinkExecutor.builder()
                .remote(flinkRemote.substring(0, colon), port, jar.toString())
                .build();
    }

    /** The jar this class was loaded from; refused if it came from a folder of classes, which a cluster cannot be sent. */
    private Path ownJar() {
        CodeSource source = SourceStats.class.getProtectionDomain().getCodeSource();
        Path location = null;
        try {
            location = source == null ? null : Path.of(source.getLocation().toURI());
        } catch (URISyntaxException | IllegalArgumentException e) {
            // not a local file
        }
        if (location == null || !Files.isRegularFile(location)) {
            throw new ParameterException(
                    spec.commandLine(),
                    "--flink-remote: the demo runs from " + location + ", not from a jar"
                            + " that a cluster can be sent: pass --flink-jar (examples/flink-cluster.sh builds one)");
        }
        return location;
    }

    /** The executors on the class path, for {@code --help} and shell completion. */
    static final class ExecutorNames implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return PipelineExecutor.available().iterator();
        }
    }
}
