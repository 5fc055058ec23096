#!/bin/bash
# Runs the demo on a local standalone Apache Flink cluster of separate JVMs, made of Maven artifacts
# only (no Docker, no download of a Flink distribution):
#   1. builds the demo as a Flink application jar, and the cluster's class path: Flink's runtime and
#      Logback, nothing of Pyper (./mvnw ... -Pflink-cluster, into examples/target/flink-cluster/);
#   2. starts a JobManager and two TaskManagers of 8 slots on 127.0.0.1, each a JVM of its own, with
#      free ports and a private folder for their configuration and logs, and waits until both
#      TaskManagers have registered;
#   3. runs the demo with --executor flink --flink-remote 127.0.0.1:<REST port>: the demo's jar is
#      shipped to the cluster with the job, as to any remote cluster;
#   4. stops the cluster (also on failure or Ctrl-C) and deletes its folder.
#
# Usage, from anywhere:
#   examples/flink-cluster.sh [demo options]        e.g. --top 5, --quiet, --input path/to/sources
# Environment: FLINK_TASKMANAGERS (2), FLINK_SLOTS (8 per TaskManager; the read task's 16 workers
# need 16 in all), FLINK_KEEP=1 keeps the cluster's folder (configuration and logs) afterwards.
# Exit status: the demo's (0 success, 1 failed run, 2 bad option), or 3 if the cluster did not start.
set -euo pipefail
cd "$(dirname "$0")/.."

taskmanagers=${FLINK_TASKMANAGERS:-2}
slots=${FLINK_SLOTS:-8}

echo "Building the demo's jar and the cluster's class path ..." >&2
./mvnw -q -B -pl examples -am package -DskipTests -Dpyper.publish.skip=true -Pflink-cluster
built=examples/target/flink-cluster
app_jar="$built/pyper-examples-app.jar"
flink_classpath=$(<"$built/flink.classpath")
# the JDK (21 or newer) that the build's toolchain chose, as the demo profile uses it
java_home=$(sed -n 's/^ *java\.home = //p' "$built/java.settings")
java="$java_home/bin/java"
[[ -x "$java" ]] || { echo "No java found at $java (from $built/java.settings)" >&2; exit 3; }

home=$(mktemp -d "${TMPDIR:-/tmp}/pyper-flink-cluster.XXXXXX")
pids=()

stop_cluster() {
    local status=$?
    if ((${#pids[@]})); then
        echo "Stopping the cluster ..." >&2
        kill "${pids[@]}" 2>/dev/null || true            # SIGTERM: Flink shuts down in order
        for _ in $(seq 50); do
            kill -0 "${pids[@]}" 2>/dev/null || break
            sleep 0.2
        done
        kill -9 "${pids[@]}" 2>/dev/null || true         # what is left after 10 s
        wait "${pids[@]}" 2>/dev/null || true
    fi
    if [[ "${FLINK_KEEP:-}" == 1 ]]; then
        echo "The cluster's configuration and logs: $home" >&2
    else
        rm -rf "$home"
    fi
    exit "$status"
}
trap stop_cluster EXIT
trap 'exit 130' INT TERM

# A port that nothing listens on (one that refuses a connection), in 20000..59999.
free_port() {
    local port
    while true; do
        port=$((20000 + RANDOM % 40000))
        if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
            echo "$port"
            return
        fi
    done
}

# The body of a GET on the JobManager's REST endpoint, empty if it does not answer (bash only, no curl).
rest_get() {
    (
        exec 3<>"/dev/tcp/127.0.0.1/$rest_port" || exit 0
        printf 'GET %s HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n' "$1" >&3
        timeout 5 cat <&3
    ) 2>/dev/null || true
}

rest_port=$(free_port)
rpc_port=$(free_port)
mkdir -p "$home/conf" "$home/tmp"
cat >"$home/conf/config.yaml" <<EOF
jobmanager.rpc.address: 127.0.0.1
jobmanager.rpc.port: $rpc_port
jobmanager.bind-host: 127.0.0.1
jobmanager.memory.process.size: 768m
taskmanager.host: 127.0.0.1
taskmanager.bind-host: 127.0.0.1
taskmanager.numberOfTaskSlots: $slots
taskmanager.cpu.cores: $slots
taskmanager.memory.task.heap.size: 384m
taskmanager.memory.task.off-heap.size: 0m
taskmanager.memory.managed.size: 0m
taskmanager.memory.framework.heap.size: 128m
taskmanager.memory.framework.off-heap.size: 128m
taskmanager.memory.jvm-metaspace.size: 256m
taskmanager.memory.jvm-overhead.min: 128m
taskmanager.memory.jvm-overhead.max: 128m
taskmanager.memory.network.min: 64m
taskmanager.memory.network.max: 64m
cluster.evenly-spread-out-slots: true
rest.address: 127.0.0.1
rest.bind-address: 127.0.0.1
rest.port: $rest_port
security.delegation.tokens.enabled: false
io.tmp.dirs: $home/tmp
web.tmpdir: $home/web
web.upload.dir: $home/web-upload
EOF
cat >"$home/conf/logback.xml" <<'EOF'
<configuration>
  <appender name="FILE" class="ch.qos.logback.core.FileAppender">
    <file>${log.file}</file>
    <encoder><pattern>%d{HH:mm:ss.SSS} %-5level [%thread] %logger{30} - %msg%n</pattern></encoder>
  </appender>
  <root level="INFO"><appender-ref ref="FILE"/></root>
</configuration>
EOF

# One JVM of the cluster: Flink's runtime and Logback on its class path (in the environment, so that
# no command line grows with it), its log in the cluster's folder.
start_jvm() {
    local name=$1 heap=$2
    shift 2
    CLASSPATH="$flink_classpath" "$java" "-Xmx$heap" -XX:+UseSerialGC \
        "-Dlog.file=$home/$name.log" "-Dlogback.configurationFile=$home/conf/logback.xml" \
        "$@" >"$home/$name.out" 2>&1 &
    pids+=($!)
}

echo "Starting a Flink cluster: a JobManager and $taskmanagers TaskManagers of $slots slots on 127.0.0.1 ..." >&2
start_jvm jobmanager 512m org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint --configDir "$home/conf"
for i in $(seq "$taskmanagers"); do
    start_jvm "taskmanager-$i" 640m org.apache.flink.runtime.taskexecutor.TaskManagerRunner --configDir "$home/conf" \
        "-Dtaskmanager.resource-id=taskmanager-$i"
done

deadline=$((SECONDS + 120))
until [[ "$(rest_get /overview)" =~ \"taskmanagers\":$taskmanagers[,}] ]]; do
    for pid in "${pids[@]}"; do
        if ! kill -0 "$pid" 2>/dev/null; then
            echo "A JVM of the cluster ended while starting; its output:" >&2
            tail -n 20 "$home"/*.out >&2
            exit 3
        fi
    done
    if ((SECONDS > deadline)); then
        echo "The cluster did not register $taskmanagers TaskManagers within 120 s; logs in $home" >&2
        FLINK_KEEP=1
        exit 3
    fi
    sleep 0.5
done
echo "The cluster is up: JobManager at 127.0.0.1:$rest_port (REST and web), pids ${pids[*]}" >&2

# The demo, as a client of the cluster: its jar (shipped to the cluster by the executor) and Flink's client.
set +e
"$java" -cp "$app_jar:$flink_classpath" dev.pyper.examples.SourceStats \
    --executor flink --flink-remote "127.0.0.1:$rest_port" "$@"
status=$?
set -e
exit "$status"
