/*
 * messages.c - the catalogue of the sentences wrench writes itself, in English and
 * Simplified Chinese, and their rendering (see messages.h). The Chinese is written as a Java
 * developer in China writes it: class names, paths, exceptions, "classpath", "webapp" and
 * "jar" stay as they are.
 */
#include "messages.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct message {
    const char *name;
    const char *text[LANG_COUNT];
};

/* clang-format off */
static const struct message catalogue[MSG_COUNT] = {
    [MSG_LIST_SEP] = {"list.separator", {", ", "、"}},
    [MSG_LIST_LAST] = {"list.last", {" and ", " 和 "}},
    [MSG_CLAUSE_SEP] = {"clause.separator", {"; ", "；"}},
    [MSG_SENTENCE_END] = {"sentence.end", {".", "。"}},
    [MSG_WITH_DETAIL] = {"text.with-detail", {"{text}: {detail}", "{text}：{detail}"}},
    [MSG_MORE_ENTRIES] = {"list.more-entries",
        {" and {n} other {n|entry|entries}", " 以及其他 {n} 个条目"}},
    [MSG_MORE_VERSIONS] = {"list.more-versions", {" and {n} more", " 等另外 {n} 个"}},
    [MSG_UNKNOWN_VERSION] = {"version.unknown", {"unknown version", "未知版本"}},

    [MSG_WHAT_WEBAPP] = {"what.webapp", {"webapp {name}", "webapp {name}"}},
    [MSG_WHAT_WEBAPP_ROOT] = {"what.webapp-root", {"webapp / (ROOT)", "webapp / (ROOT)"}},
    [MSG_WHAT_A_WEBAPP] = {"what.a-webapp", {"a webapp", "某个 webapp"}},
    [MSG_WHAT_CONNECTOR] = {"what.connector", {"connector port {port}", "端口 {port} 的连接器"}},
    [MSG_WHAT_A_CONNECTOR] = {"what.a-connector", {"a connector", "某个连接器"}},
    [MSG_WHAT_APPLICATION] = {"what.application", {"application {name}", "应用 {name}"}},
    [MSG_WHAT_THE_APPLICATION] = {"what.the-application", {"the application", "应用"}},
    [MSG_WHAT_SERVICE] = {"what.service", {"service {name}", "服务 {name}"}},
    [MSG_WHAT_THE_SERVICE] = {"what.the-service", {"the service", "服务"}},
    [MSG_WHAT_RUNTIME] = {"what.runtime", {"at run time", "运行时"}},
    [MSG_WHAT_CONTAINER] = {"what.container", {"the container", "容器"}},
    [MSG_WHAT_CLASSPATH] = {"what.classpath", {"classpath", "classpath"}},
    [MSG_WHAT_INPUT] = {"what.input", {"input", "输入"}},

    [MSG_CAUSE_CONFLICT] = {"cause.conflict", {"Class conflict: {title}", "类冲突：{title}"}},
    [MSG_CAUSE_CONTAINER] = {"cause.container", {"Container: {title}", "容器：{title}"}},
    [MSG_CAUSE_DUPLICATE] = {"cause.duplicate",
        {"Duplicate library: {title}", "重复的库：{title}"}},
    [MSG_CAUSE_UNREADABLE_LOG] = {"cause.unreadable-log",
        {"Unreadable log: {path}: {message}", "无法读取的日志：{path}：{message}"}},
    [MSG_CAUSE_UNREADABLE_INPUT] = {"cause.unreadable-input",
        {"Unreadable input: {path}: {message}", "无法读取的输入：{path}：{message}"}},

    [MSG_JVM_TOO_MANY_ARGS] = {"jvm.too-many-args",
        {"more than {max} arguments after expansion; the rest were ignored",
         "展开后的参数超过 {max} 个；其余的已忽略"}},
    [MSG_JVM_ARGFILES_CAPPED] = {"jvm.argfiles-capped",
        {"argument files past {bytes} bytes or {max} arguments in all were not expanded",
         "超出总计 {bytes} 字节或 {max} 个参数的参数文件未展开"}},
    [MSG_JVM_ARGFILE_RELATIVE] = {"jvm.argfile-relative",
        {"argument file @{name} is relative and the working directory is unknown",
         "参数文件 @{name} 是相对路径，而工作目录未知"}},
    [MSG_JVM_ARGFILE_UNREADABLE] = {"jvm.argfile-unreadable",
        {"cannot read argument file @{name} ({path}): {error}",
         "无法读取参数文件 @{name}（{path}）：{error}"}},
    [MSG_JVM_ARGFILE_TOO_BIG] = {"jvm.argfile-too-big",
        {"argument file @{name} ({path}) is larger than {max} bytes; not expanded",
         "参数文件 @{name}（{path}）超过 {max} 字节；未展开"}},
    [MSG_JVM_JDK_OPTIONS_QUOTE] = {"jvm.jdk-java-options-quote",
        {"JDK_JAVA_OPTIONS has an unterminated quote: the launcher refuses to start",
         "JDK_JAVA_OPTIONS 中有未闭合的引号：启动器会拒绝启动"}},
    [MSG_JVM_JDK_OPTIONS_REFUSED] = {"jvm.jdk-java-options-refused",
        {"JDK_JAVA_OPTIONS holds '{arg}', which the launcher refuses there",
         "JDK_JAVA_OPTIONS 中含有 '{arg}'，启动器不接受它出现在那里"}},
    [MSG_JVM_BAD_VALUE] = {"jvm.bad-value",
        {"{flag} has a value the JVM would refuse: '{value}'",
         "{flag} 的值会被 JVM 拒绝：'{value}'"}},
    [MSG_JVM_OPTIONS_QUOTE] = {"jvm.options-quote",
        {"{name} has an unterminated quote: the JVM refuses to start",
         "{name} 中有未闭合的引号：JVM 会拒绝启动"}},
    [MSG_JVM_ENV_UNKNOWN] = {"jvm.environment-unknown",
        {"the environment is unknown: the classpath may come from CLASSPATH, assumed \".\"",
         "环境变量未知：classpath 可能来自 CLASSPATH，按 \".\" 处理"}},
    [MSG_JVM_JAR_IGNORES] = {"jvm.jar-ignores",
        {"-jar ignores {source} '{classpath}'", "-jar 会忽略 {source} '{classpath}'"}},
    [MSG_JVM_NO_MAIN] = {"jvm.no-main",
        {"no main class, -jar or -m found on the command line",
         "命令行中没有找到主类、-jar 或 -m"}},
    [MSG_JVM_UNREADABLE] = {"jvm.unreadable",
        {"cannot read {path}: {error}", "无法读取 {path}：{error}"}},
    [MSG_JVM_CMDLINE_LONG] = {"jvm.cmdline-long",
        {"command line longer than {max} bytes: only the start was read",
         "命令行超过 {max} 字节：只读取了开头部分"}},
    [MSG_JVM_CWD_UNREADABLE] = {"jvm.cwd-unreadable",
        {"cannot read the working directory {path}: {error}; relative paths are unknown",
         "无法读取工作目录 {path}：{error}；相对路径无法确定"}},
    [MSG_JVM_TOO_MANY_PROCS] = {"jvm.too-many-processes",
        {"more than {max} Java processes; the rest were not read",
         "Java 进程超过 {max} 个；其余的未读取"}},
    [MSG_JVM_PROCESS_UNREADABLE] = {"jvm.process-unreadable",
        {"Java process {pid} could not be read: {error}", "无法读取 Java 进程 {pid}：{error}"}},
    [MSG_JVM_NS_UNREADABLE] = {"jvm.namespace-unreadable",
        {"cannot read {path}: {error}; files are read as this process sees them",
         "无法读取 {path}：{error}；按本进程所见的路径读取文件"}},
    [MSG_JVM_ENVIRON_UNREADABLE] = {"jvm.environ-unreadable",
        {"cannot read {path}: {error}; JDK_JAVA_OPTIONS, JAVA_TOOL_OPTIONS and CLASSPATH are "
         "unknown",
         "无法读取 {path}：{error}；JDK_JAVA_OPTIONS、JAVA_TOOL_OPTIONS 和 CLASSPATH 未知"}},
    [MSG_JVM_ENVIRON_LONG] = {"jvm.environ-long",
        {"environment larger than {max} bytes: only the start was read",
         "环境变量超过 {max} 字节：只读取了开头部分"}},
    [MSG_FACT_SEP] = {"fact.separator", {", ", "；"}},
    [MSG_FACT_MEMORY_LIMIT] = {"fact.memory-limit", {"memory limit", "内存上限"}},
    [MSG_FACT_MEMORY_USED] = {"fact.memory-used", {"memory used", "已用内存"}},
    [MSG_FACT_OOM_KILLS] = {"fact.oom-kills", {"OOM kills", "OOM 终止次数"}},
    [MSG_FACT_OPEN_FILES] = {"fact.open-files", {"open files limit", "打开文件数上限"}},
    [MSG_FACT_NOTE] = {"fact.note", {"note", "备注"}},
    [MSG_FACT_MAX_HEAP] = {"fact.max-heap", {"max heap of pid {pid}", "pid {pid} 的最大堆"}},
    [MSG_FACT_BUDGET] = {"fact.budget", {"wrench memory budget", "wrench 内存预算"}},
    [MSG_FACT_PRIORITY] = {"fact.priority", {"wrench priority", "wrench 优先级"}},
    [MSG_FACT_NO_LIMIT] = {"fact.no-limit", {"no limit", "无上限"}},
    [MSG_FACT_UNLIMITED] = {"fact.unlimited", {"unlimited", "无上限"}},
    [MSG_FACT_NO_QUOTA] = {"fact.no-quota", {"no quota", "无配额"}},
    [MSG_FACT_NONE] = {"fact.none", {"none", "无"}},
    [MSG_FACT_CORES] = {"fact.cores", {"{n} cores", "{n} 核"}},
    [MSG_FACT_WITH_BASIS] = {"fact.with-basis", {"{value} ({basis})", "{value}（{basis}）"}},
    [MSG_FACT_BUDGET_QUARTER_CAPPED] = {"fact.budget.quarter-capped",
        {"a quarter of the container's memory limit of {limit}, at most 1 GiB",
         "容器内存上限 {limit} 的四分之一，最多 1 GiB"}},
    [MSG_FACT_BUDGET_QUARTER] = {"fact.budget.quarter",
        {"a quarter of the container's memory limit of {limit}",
         "容器内存上限 {limit} 的四分之一"}},
    [MSG_FACT_BUDGET_DEFAULT] = {"fact.budget.default",
        {"no container memory limit: the default", "容器没有内存上限：使用默认值"}},
    [MSG_FACT_PRIORITY_NORMAL] = {"fact.priority.normal",
        {"normal priority (--full-priority)", "正常优先级（--full-priority）"}},
    [MSG_FACT_PRIORITY_BOTH] = {"fact.priority.both",
        {"nice 10, I/O idle", "nice 10，I/O 空闲级"}},
    [MSG_FACT_PRIORITY_NICE] = {"fact.priority.nice",
        {"nice 10, I/O priority unchanged", "nice 10，I/O 优先级未变"}},
    [MSG_FACT_PRIORITY_IDLE] = {"fact.priority.idle",
        {"nice unchanged, I/O idle", "nice 值未变，I/O 空闲级"}},
    [MSG_FACT_PRIORITY_NONE] = {"fact.priority.none",
        {"nice unchanged, I/O priority unchanged", "nice 值和 I/O 优先级均未变"}},
    [MSG_CGROUP_NOT_UNDER] = {"cgroup.not-under",
        {"cgroup {cgroup} is not under {mount}; using the mount itself (the container's own "
         "cgroup)",
         "cgroup {cgroup} 不在 {mount} 之下；改用挂载点本身（即容器自己的 cgroup）"}},
    [MSG_CGROUP_NOT_A_NUMBER] = {"cgroup.not-a-number",
        {"{dir}/{file} is not a number", "{dir}/{file} 的内容不是数字"}},
    [MSG_CGROUP_ROOT] = {"cgroup.root",
        {"no memory.max at {dir}: the root cgroup (no container limit visible)",
         "{dir} 下没有 memory.max：这是根 cgroup（看不到容器的限制）"}},
    [MSG_CGROUP_UNEXPECTED] = {"cgroup.unexpected",
        {"{path}: unexpected content", "{path}：内容不符合预期"}},
    [MSG_CGROUP_NO_MEMORY] = {"cgroup.no-memory",
        {"no memory controller under {root}", "{root} 下没有 memory 控制器"}},
    [MSG_CGROUP_NO_FILESYSTEM] = {"cgroup.no-filesystem",
        {"no cgroup filesystem at {root}: container limits unknown",
         "{root} 处没有 cgroup 文件系统：容器的限制未知"}},
    [MSG_NOFILE_UNKNOWN] = {"nofile.unknown",
        {"open-files limit unknown ({path} unreadable)", "打开文件数上限未知（无法读取 {path}）"}},
    [MSG_ATTACH_NOT_LIVE_PROC] = {"attach.not-live-proc",
        {"attach works only on the live /proc, not {proc}: the pid would name another "
         "process",
         "attach 只能用于本机当前的 /proc，不能用于 {proc}：其中的 pid 会指向另一个进程"}},
    [MSG_ATTACH_GONE] = {"attach.gone",
        {"process {pid} is gone or unreadable ({error})",
         "进程 {pid} 已退出或无法读取（{error}）"}},
    [MSG_ATTACH_NO_UID] = {"attach.no-uid",
        {"{path} has no Uid/Gid lines",
         "{path} 中没有 Uid/Gid 行"}},
    [MSG_ATTACH_DISABLED] = {"attach.disabled",
        {"attach is disabled in this JVM (-XX:+DisableAttachMechanism): wrench sent "
         "nothing. A plain SIGQUIT (kill -3 {pid}) would print the thread dump to the "
         "service's own output; wrench does not do that unasked",
         "该 JVM 禁用了 attach（-XX:+DisableAttachMechanism）：wrench 没有发送任何内容。直接发送 SIGQUIT（kill "
         "-3 {pid}）会把线程转储打印到服务自己的输出中；未经要求，wrench 不会这样做"}},
    [MSG_ATTACH_OTHER_USER] = {"attach.other-user",
        {"the JVM runs as uid {jvm} and wrench as uid {me}: the JVM accepts attach only "
         "from its own user or root (run wrench as that user)",
         "JVM 以 uid {jvm} 运行，而 wrench 以 uid {me} 运行：JVM 只接受同一用户或 root 的 attach（请以该用户运行 "
         "wrench）"}},
    [MSG_ATTACH_OTHER_GROUP] = {"attach.other-group",
        {"the JVM runs with group {jvm} and wrench with group {me}: the JVM accepts "
         "attach only from its own user and group, or root",
         "JVM 以组 {jvm} 运行，而 wrench 以组 {me} 运行：JVM 只接受同一用户和组或 root 的 attach"}},
    [MSG_ATTACH_XRS] = {"attach.xrs",
        {"started with -Xrs: it has no SIGQUIT handler and a SIGQUIT would kill it",
         "以 -Xrs 启动：它没有 SIGQUIT 处理器，SIGQUIT 会杀死它"}},
    [MSG_ATTACH_NO_LIBJVM] = {"attach.no-libjvm",
        {"libjvm.so is not mapped in process {pid}: no HotSpot JVM to signal",
         "进程 {pid} 中没有映射 libjvm.so：没有可以发信号的 HotSpot JVM"}},
    [MSG_ATTACH_QUIT_UNHANDLED] = {"attach.quit-unhandled",
        {"SIGQUIT is not (yet) handled by process {pid} (SigCgt/SigIgn): a JVM too young "
         "for its signal handler, which a SIGQUIT could kill",
         "进程 {pid}（还）没有处理 SIGQUIT（SigCgt/SigIgn）：JVM 刚启动，信号处理器尚未安装，SIGQUIT 可能会杀死它"}},
    [MSG_ATTACH_NO_TRIGGER] = {"attach.no-trigger",
        {"cannot create .attach_pid{nspid} in the JVM's working directory or {tmp}: "
         "{error}",
         "无法在 JVM 的工作目录或 {tmp} 中创建 .attach_pid{nspid}：{error}"}},
    [MSG_ATTACH_NO_SIGNAL] = {"attach.no-signal",
        {"cannot signal process {pid}: {error}",
         "无法向进程 {pid} 发送信号：{error}"}},
    [MSG_ATTACH_EXITED] = {"attach.exited",
        {"process {pid} exited while wrench waited for its attach listener",
         "wrench 等待进程 {pid} 的 attach 监听器时，该进程已退出"}},
    [MSG_ATTACH_NO_LISTENER] = {"attach.no-listener",
        {"the attach listener of process {pid} did not open {socket} within {ms} ms",
         "进程 {pid} 的 attach 监听器在 {ms} 毫秒内没有打开 {socket}"}},
    [MSG_ATTACH_NO_REPLY] = {"attach.no-reply",
        {"connected, but no complete reply within {s} s ({bytes} bytes): a JVM that "
         "cannot reach a safepoint, itself a sign of a hang",
         "已连接，但 {s} 秒内没有收到完整的回复（{bytes} 字节）：JVM 无法到达安全点，这本身就是挂起的迹象"}},
    [MSG_ATTACH_POLL] = {"attach.poll",
        {"poll on the attach socket: {error}",
         "在 attach 套接字上 poll 失败：{error}"}},
    [MSG_ATTACH_READ] = {"attach.read",
        {"reading the attach socket: {error}",
         "读取 attach 套接字失败：{error}"}},
    [MSG_ATTACH_WONT_START] = {"attach.wont-start",
        {"no attach listener is running and wrench will not start one: {why}",
         "没有正在运行的 attach 监听器，wrench 也不会启动它：{why}"}},
    [MSG_ATTACH_NO_SEND] = {"attach.no-send",
        {"cannot send the request to {socket}: {error}",
         "无法向 {socket} 发送请求：{error}"}},
    [MSG_ATTACH_TOO_LONG] = {"attach.too-long",
        {"too long",
         "请求过长"}},
    [MSG_ATTACH_BAD_REPLY] = {"attach.bad-reply",
        {"the JVM's reply does not start with a result code",
         "JVM 的回复不以结果码开头"}},
    [MSG_ATTACH_EMPTY_REPLY] = {"attach.empty-reply",
        {"the JVM closed the connection without a reply (it checks the caller's user and "
         "group: wrench's did not match)",
         "JVM 没有回复就关闭了连接（它会检查调用方的用户和组：wrench 的与之不符）"}},
    [MSG_PORT_SHUTDOWN] = {"port.shutdown", {"shutdown port", "关闭端口"}},
    [MSG_PORT_HTTP_CONNECTOR] = {"port.http-connector", {"HTTP connector", "HTTP 连接器"}},
    [MSG_PORT_AJP_CONNECTOR] = {"port.ajp-connector", {"AJP connector", "AJP 连接器"}},
    [MSG_PORT_CONNECTOR] = {"port.connector", {"{protocol} connector", "{protocol} 连接器"}},
    [MSG_VERDICT_FAILED_TO_START] = {"verdict.failed-to-start",
        {"{what} failed to start: {cause}", "{what} 启动失败：{cause}"}},
    [MSG_VERDICT_CRASHED] = {"verdict.crashed", {"{what} crashed: {cause}", "{what} 已崩溃：{cause}"}},
    [MSG_VERDICT_HUNG] = {"verdict.hung",
        {"{what} is hung: {cause}", "{what} 已挂起（无响应）：{cause}"}},
    [MSG_VERDICT_DOWN] = {"verdict.down", {"{what} is down: {cause}", "{what} 未在运行：{cause}"}},
    [MSG_VERDICT_WEBAPPS_OF] = {"verdict.webapps-of",
        {"{failed} of {total} webapps failed to start: {list}",
         "{total} 个 webapp 中有 {failed} 个启动失败：{list}"}},
    [MSG_VERDICT_WEBAPPS] = {"verdict.webapps",
        {"{failed} webapps failed to start: {list}", "{failed} 个 webapp 启动失败：{list}"}},
    [MSG_VERDICT_FAILURES] = {"verdict.failures",
        {"{failed} failures at startup: {list}", "启动时有 {failed} 处失败：{list}"}},
    [MSG_VERDICT_ITEM] = {"verdict.item", {"{who}: {cause}", "{who}：{cause}"}},
    [MSG_VERDICT_BEFORE_LAST_START] = {"verdict.before-last-start",
        {"Nothing failed since the last start; before it: {cause}",
         "自上次启动以来没有失败；此前：{cause}"}},
    [MSG_VERDICT_NO_PROBLEM] = {"verdict.no-problem",
        {"No problem found in {entries} classpath {entries|entry|entries}.",
         "在 {entries} 个 classpath 条目中未发现问题。"}},
    [MSG_VERDICT_NO_PROBLEM_LOGS] = {"verdict.no-problem-logs",
        {"No problem found in {entries} classpath {entries|entry|entries} and the logs.",
         "在 {entries} 个 classpath 条目和日志中未发现问题。"}},

    [MSG_CONFLICT_DIFFER] = {"conflict.differ",
        {"{who} share {shared} {shared|class|classes}, {differing} differ",
         "{who} 共有 {shared} 个相同的类，其中 {differing} 个内容不同"}},
    [MSG_CONFLICT_UNCOMPARED] = {"conflict.uncompared",
        {"{who} share {shared} {shared|class|classes}, {unknown} could not be compared",
         "{who} 共有 {shared} 个相同的类，其中 {unknown} 个无法比较"}},
    [MSG_CONFLICT_IDENTICAL] = {"conflict.identical",
        {"{who} share {shared} identical {shared|class|classes}",
         "{who} 共有 {shared} 个完全相同的类"}},
    [MSG_WHICH_COPY_UNDEFINED] = {"copy.which-undefined",
        {"; which copy loads is undefined", "；加载哪个副本是不确定的"}},
    [MSG_CONFLICT_WINS] = {"conflict.wins", {"; {winner} wins", "；实际加载的是 {winner}"}},
    [MSG_CONFLICT_STALE_ALL] = {"conflict.stale-all",
        {" with a stale copy: its differing classes are identical to {twin}'s",
         "，但它带的是过时的副本：其中内容不同的类与 {twin} 中的完全相同"}},
    [MSG_CONFLICT_STALE_SOME] = {"conflict.stale-some",
        {" with a stale copy: its copies of some differing classes are identical to {twin}'s",
         "，但它带的是过时的副本：其中部分内容不同的类与 {twin} 中的完全相同"}},
    [MSG_DUPLICATE_VERSIONS] = {"duplicate.versions",
        {"{name} is on the classpath in {n} versions: {list}",
         "{name} 在 classpath 上有 {n} 个版本：{list}"}},
    [MSG_DUPLICATE_TIMES] = {"duplicate.times",
        {"{name} is on the classpath {n} times ({list})",
         "{name} 在 classpath 上出现了 {n} 次（{list}）"}},

    [MSG_CLASS_ONLY_IN] = {"class.only-in",
        {"{class} comes from {entry} only", "{class} 只来自 {entry}"}},
    [MSG_CLASS_IN_DIFFERING] = {"class.in-differing",
        {"{class} is in {n} entries whose copies differ: {entries}",
         "{class} 存在于 {n} 个条目中，各副本内容不同：{entries}"}},
    [MSG_CLASS_IN_IDENTICAL] = {"class.in-identical",
        {"{class} is in {n} entries whose copies are identical: {entries}",
         "{class} 存在于 {n} 个条目中，各副本完全相同：{entries}"}},
    [MSG_CLASS_LOADS_FIRST] = {"class.loads-first",
        {"; {winner} loads first", "；先加载的是 {winner}"}},
    [MSG_CLASS_STALE_COPY] = {"class.stale-copy",
        {", a stale copy identical to {twin}'s", "，它是与 {twin} 中相同的过时副本"}},
    [MSG_CLASS_ABSENT] = {"class.absent",
        {"no classpath entry provides {class}", "没有任何 classpath 条目提供 {class}"}},
    [MSG_CLASS_PACKAGE_IN] = {"class.package-in",
        {"; its package {package} is in {entries} (a version without this class?)",
         "；它的包 {package} 在 {entries} 中（可能是不含这个类的版本？）"}},
    [MSG_DID_YOU_MEAN] = {"class.did-you-mean",
        {"{title} - did you mean {class}?", "{title}——是不是指 {class}？"}},

    [MSG_ROLE_HOLDS_CLASS] = {"role.holds-class", {"holds the class", "包含该类"}},
    [MSG_ROLE_HOLDS_CLASS_FIRST] = {"role.holds-class-first",
        {"holds the class (loads first)", "包含该类（先加载）"}},
    [MSG_ROLE_HOLDS_PACKAGE] = {"role.holds-package", {"holds the package", "包含该包"}},
    [MSG_ROLE_LOADS_FIRST] = {"role.loads-first", {"loads first", "先加载"}},
    [MSG_ROLE_SHADED] = {"role.shaded", {"{version}, shaded inside", "{version}，被 shade 在内"}},

    [MSG_ENV_OOM_KILLS] = {"env.oom-kills",
        {"The kernel's OOM killer has ended processes in this container",
         "内核的 OOM killer 已在本容器中杀死过进程"}},
    [MSG_ENV_OOM_KILLS_DETAIL] = {"env.oom-kills.detail",
        {"{kills} OOM kill(s) counted in {dir} (memory limit {limit})",
         "{dir} 中记录了 {kills} 次 OOM kill（内存限制 {limit}）"}},
    [MSG_ENV_CPU_QUOTA] = {"env.cpu-quota",
        {"The container may use less than one CPU core", "容器可用的 CPU 不足一个核"}},
    [MSG_ENV_CPU_QUOTA_DETAIL] = {"env.cpu-quota.detail",
        {"CPU quota {quota} us per {period} us period ({cores} cores): the JVM sizes its GC and "
         "compiler threads for one CPU, and start-up is slow",
         "CPU 配额为每 {period} us 周期 {quota} us（{cores} 个核）：JVM 按一个 CPU 设置 GC "
         "和编译线程数，启动会很慢"}},
    [MSG_ENV_OPEN_FILES] = {"env.open-files",
        {"The open-files limit is low", "打开文件数限制过低"}},
    [MSG_ENV_OPEN_FILES_DETAIL] = {"env.open-files.detail",
        {"soft limit {soft} (hard {hard}) is under {min}: a service with many jars, sockets and "
         "log files can fail with 'Too many open files'",
         "软限制 {soft}（硬限制 {hard}）低于 {min}：jar、socket 和日志文件较多的服务可能因 "
         "'Too many open files' 而失败"}},
    [MSG_ENV_DISK] = {"env.disk", {"A disk is nearly full", "磁盘空间快满了"}},
    [MSG_ENV_DISK_DETAIL] = {"env.disk.detail",
        {"{path}: {free} free of {total} ({percent}%): logs, temporary files and heap dumps may "
         "fail to be written",
         "{path}：总共 {total}，剩余 {free}（{percent}%）：日志、临时文件和 heap dump 可能无法写入"}},
    [MSG_ENV_CONTAINER_SUPPORT] = {"env.container-support-off",
        {"The JVM ignores the container's memory limit", "JVM 忽略了容器的内存限制"}},
    [MSG_ENV_CONTAINER_SUPPORT_DETAIL] = {"env.container-support-off.detail",
        {"process {pid} runs with -XX:-UseContainerSupport and no -Xmx: its heap is sized from "
         "the host's memory, not the {limit} limit",
         "进程 {pid} 使用 -XX:-UseContainerSupport 运行且没有 -Xmx：它的堆大小按宿主机内存计算，"
         "而不是按 {limit} 的限制"}},
    [MSG_ENV_HEAP_EXCEEDS] = {"env.heap-exceeds-limit",
        {"The JVM's maximum heap does not fit in the container's memory limit",
         "JVM 的最大堆超出了容器的内存限制"}},
    [MSG_ENV_HEAP_EXCEEDS_DETAIL] = {"env.heap-exceeds-limit.detail",
        {"process {pid}: max heap {heap} ({basis}) against a limit of {limit}: the kernel kills "
         "the JVM before the heap is full",
         "进程 {pid}：最大堆 {heap}（{basis}），而限制为 {limit}：堆还没用满，内核就会杀掉 JVM"}},
    [MSG_ENV_HEAP_HEADROOM] = {"env.heap-no-headroom",
        {"The JVM's heap leaves too little room for its other memory",
         "JVM 的堆给其他内存留的空间太少"}},
    [MSG_ENV_HEAP_HEADROOM_DETAIL] = {"env.heap-no-headroom.detail",
        {"process {pid}: max heap {heap} ({basis}) plus about {other} of metaspace, threads, code "
         "cache and direct buffers exceeds the {limit} limit",
         "进程 {pid}：最大堆 {heap}（{basis}）加上约 {other} 的 metaspace、线程、code cache "
         "和 direct buffer，超出了 {limit} 的限制"}},
    [MSG_HEAP_BASIS_MAX_RAM] = {"heap.basis.max-ram",
        {"a share of -XX:MaxRAM", "按 -XX:MaxRAM 的比例"}},
    [MSG_HEAP_BASIS_LIMIT] = {"heap.basis.limit",
        {"a share of the container memory limit", "按容器内存限制的比例"}},
    [MSG_HEAP_BASIS_HOST] = {"heap.basis.host", {"a share of the host memory", "按宿主机内存的比例"}},
    [MSG_HEAP_BASIS_SMALL] = {"heap.basis.small",
        {"MinRAMPercentage of a small memory", "小内存时按 MinRAMPercentage"}},

    [MSG_DUMP_DEADLOCK] = {"dump.deadlock",
        {"a thread dump in the log shows a {summary}", "日志中的线程转储显示：{summary}"}},
    [MSG_DUMP_THREADS] = {"dump.threads",
        {"a thread dump in the log: {summary}", "日志中的线程转储：{summary}"}},
    [MSG_DUMP_WHERE] = {"dump.where", {"{path}:{line}", "{path}:{line}"}},
    [MSG_DUMP_WHERE_LAST] = {"dump.where-last",
        {"{path}:{line} (the last of several dumps in this log)",
         "{path}:{line}（该日志中多个转储里的最后一个）"}},
    [MSG_BANNER_FATAL] = {"banner.fatal",
        {"the JVM's fatal error banner in the log: {summary}",
         "日志中有 JVM 的致命错误（fatal error）报告：{summary}"}},
    [MSG_BANNER_NATIVE_OOM] = {"banner.native-oom",
        {"the JVM's native out-of-memory banner in the log: {summary}",
         "日志中有 JVM 的本地内存不足（native out-of-memory）报告：{summary}"}},
    [MSG_BANNER_WHERE] = {"banner.where", {"{path}:{line}", "{path}:{line}"}},
    [MSG_BANNER_WHERE_REPORT] = {"banner.where-report",
        {"{path}:{line}; error report: {report}", "{path}:{line}；错误报告：{report}"}},

    [MSG_STATE_HUNG] = {"state.hung",
        {"service {service} is hung: {reason}", "服务 {service} 已挂起（无响应）：{reason}"}},
    [MSG_STATE_DOWN] = {"state.down",
        {"service {service} is down: {reason}", "服务 {service} 未在运行：{reason}"}},
    [MSG_STATE_CRASHED] = {"state.crashed",
        {"service {service} crashed: {reason}", "服务 {service} 已崩溃：{reason}"}},

    [MSG_REASON_QUEUE_STUCK] = {"reason.queue-stuck",
        {"port {port} accepts no connections: {n} {n|connection|connections} waited in its "
         "accept queue over two reads {ms} ms apart",
         "端口 {port} 不再接受连接：间隔 {ms} 毫秒的两次读取中，它的 accept 队列里都有 {n} "
         "个连接在等待"}},
    [MSG_REASON_PORT_FAILED] = {"reason.port-failed",
        {"port {port} ({what}) is not listening after {age}: {finding}",
         "端口 {port}（{what}）在 {age} 后仍未监听：{finding}"}},
    [MSG_REASON_PORT_MISSING] = {"reason.port-missing",
        {"port {port} ({what}) is not listening after {age}{suffix}",
         "端口 {port}（{what}）在 {age} 后仍未监听{suffix}"}},
    [MSG_REASON_LISTENING] = {"reason.listening", {"listening on {ports}", "正在监听 {ports}"}},
    [MSG_REASON_DECLARED_PORTS] = {"reason.declared-ports",
        {"its declared ports", "其声明的端口"}},
    [MSG_REASON_UP_BY_LOG] = {"reason.up-by-log",
        {"running for {age}, its log says the start finished; it declares no port and listens "
         "on none",
         "已运行 {age}，日志显示启动已完成；它未声明端口，也未监听任何端口"}},
    [MSG_REASON_NO_EVIDENCE] = {"reason.no-evidence",
        {"running for {age}; it declares no port, listens on none and no log of it records a "
         "start, so whether its start finished is unknown{suffix}",
         "已运行 {age}；它未声明端口，未监听任何端口，日志中也没有启动记录，因此无法判断启动是否"
         "完成{suffix}"}},
    [MSG_REASON_NO_FINISHED_START] = {"reason.no-finished-start",
        {"running for {age}, declares no port, listens on none and its log has no finished "
         "start{suffix}",
         "已运行 {age}，未声明端口，未监听任何端口，日志中也没有已完成的启动{suffix}"}},
    [MSG_REASON_NO_DUMP_REPLY] = {"reason.no-dump-reply",
        {"the JVM does not answer a thread dump request: {error}",
         "JVM 不响应线程转储请求：{error}"}},
    [MSG_REASON_WITH_DUMP] = {"reason.with-dump", {"{reason}; {dump}", "{reason}；{dump}"}},
    [MSG_REASON_FATAL_ERROR] = {"reason.fatal-error",
        {"the JVM died of a fatal error: {summary}; report {path}",
         "JVM 因致命错误而终止：{summary}；报告 {path}"}},
    [MSG_REASON_FATAL_BANNER] = {"reason.fatal-banner",
        {"the JVM died of a fatal error: {summary} (banner in {path})",
         "JVM 因致命错误而终止：{summary}（日志 {path} 中有其报告）"}},
    [MSG_REASON_KILLED_NO_HSERR] = {"reason.killed-no-hs-err",
        {"{exit} and left no hs_err file: the kernel's OOM killer{suffix}, or a kill -9",
         "{exit}，且未留下 hs_err 文件：可能是内核的 OOM killer{suffix}，或是 kill -9"}},
    [MSG_REASON_SIGNALLED] = {"reason.signalled",
        {"the JVM was {exit}{suffix}", "JVM 已终止（{exit}）{suffix}"}},
    [MSG_REASON_EXIT_ON_OOM] = {"reason.exit-on-oom",
        {"{exit}: -XX:+ExitOnOutOfMemoryError ended it on an OutOfMemoryError",
         "{exit}：发生 OutOfMemoryError 时 -XX:+ExitOnOutOfMemoryError 结束了它"}},
    [MSG_REASON_OOM_DUMP] = {"reason.oom-dump",
        {"no JVM runs it; its last JVM ran out of memory and wrote the heap dump {path} at {time}",
         "没有 JVM 在运行它；上一个 JVM 内存耗尽，并于 {time} 写下了堆转储 {path}"}},
    [MSG_REASON_NORMALLY_DOWN] = {"reason.normally-down",
        {"runit starts it only when asked (a down file), and no run of it is recorded",
         "runit 仅在收到请求时才启动它（存在 down 文件），且没有它运行过的记录"}},
    [MSG_REASON_LAST_RUN] = {"reason.last-run",
        {"no JVM runs it; its last run ended with {exit}{suffix}",
         "没有 JVM 在运行它；上次运行以 {exit} 结束{suffix}"}},
    [MSG_REASON_NOT_RUNNING] = {"reason.not-running", {"no JVM runs it", "没有 JVM 在运行它"}},
    [MSG_AGE_SECONDS] = {"age.seconds", {"{s} s", "{s} 秒"}},
    [MSG_AGE_UNKNOWN] = {"age.unknown", {"an unknown time", "未知时长"}},
    [MSG_SUFFIX_START_FINISHED] = {"suffix.start-finished",
        {", although its log says the start finished", "，尽管日志显示启动已完成"}},
    [MSG_SUFFIX_TIMEOUT] = {"suffix.timeout",
        {", longer than the start timeout", "，已超过启动超时"}},
    [MSG_SUFFIX_DUMP_HINT] = {"suffix.dump-hint",
        {" (--thread-dump shows where its threads wait)", "（--thread-dump 可显示其线程在何处等待）"}},
    [MSG_SUFFIX_MAY_WAIT] = {"suffix.may-wait",
        {": it may wait for something (see the thread dump)", "：它可能在等待某个资源（见线程转储）"}},
    [MSG_SUFFIX_OOM_COUNTED] = {"suffix.oom-counted",
        {" (the cgroup counts OOM kills)", "（cgroup 记录了 OOM kill）"}},
    [MSG_SUFFIX_NO_HSERR] = {"suffix.no-hs-err",
        {" and left no hs_err file", "，未留下 hs_err 文件"}},
    [MSG_SUFFIX_FAILED_START] = {"suffix.failed-start",
        {": a failed start, see the log", "：启动失败，请查看日志"}},

    [MSG_EV_START_TIMEOUT] = {"evidence.start-timeout",
        {"earlier starts in its log took up to {took} s: a start counts as hung after {timeout} s",
         "日志中以往的启动最长耗时 {took} 秒：启动超过 {timeout} 秒即视为挂起"}},
    [MSG_EV_PID_RUNNING] = {"evidence.pid-running",
        {"pid {pid}, running for {age}", "pid {pid}，已运行 {age}"}},
    [MSG_EV_PORT] = {"evidence.port",
        {"port {port} ({what}, {source}): {listening}", "端口 {port}（{what}，{source}）：{listening}"}},
    [MSG_EV_LISTENING] = {"evidence.listening", {"listening", "正在监听"}},
    [MSG_EV_NOT_LISTENING] = {"evidence.not-listening", {"not listening", "未监听"}},
    [MSG_EV_LOG_START_FINISHED] = {"evidence.log-start-finished",
        {"its log says the start finished: {text} ({at})", "日志显示启动已完成：{text}（{at}）"}},
    [MSG_EV_RUNSV_SAYS] = {"evidence.runsv-says",
        {"runsv says: {stat} ({dir}/supervise/stat)", "runsv 的状态：{stat}（{dir}/supervise/stat）"}},
    [MSG_EV_RUNSV_NEVER] = {"evidence.runsv-never",
        {"no {dir}/supervise/stat: runsv has not run this service",
         "没有 {dir}/supervise/stat：runsv 从未运行过该服务"}},
    [MSG_EV_WANT_DOWN] = {"evidence.want-down",
        {"runsv is told to keep it down (want down)", "runsv 被要求让它保持停止（want down）"}},
    [MSG_EV_FINISH_RECORDED] = {"evidence.finish-recorded",
        {"the finish script recorded {n} ended {n|run|runs}, the last: {exit} ({file})",
         "finish 脚本记录了 {n} 次已结束的运行，最近一次：{exit}（{file}）"}},
    [MSG_EV_HSERR_UNREADABLE] = {"evidence.hs-err-unreadable",
        {"hs_err file {path} (not readable as a fatal error report)",
         "hs_err 文件 {path}（无法作为致命错误报告解析）"}},
    [MSG_EV_LAST_SEEN] = {"evidence.last-seen",
        {"last seen running as pid {pid} at {at} (started {started}{more})",
         "最后一次看到它运行是在 {at}，pid {pid}（启动于 {started}{more}）"}},
    [MSG_EV_SEEN_CWD] = {"evidence.seen-cwd",
        {"; working directory {cwd}", "；工作目录 {cwd}"}},
    [MSG_EV_OOM_KILLS] = {"evidence.oom-kills",
        {"the cgroup's OOM killer ended {n} {n|process|processes}",
         "cgroup 的 OOM killer 杀死了 {n} 个进程"}},
    [MSG_EV_RUNIT_SINCE] = {"evidence.runit-since",
        {"in this runit state for {s} s", "处于当前 runit 状态已 {s} 秒"}},
    [MSG_EV_PROBE_STATUS] = {"evidence.probe-status",
        {"GET {url}: HTTP {status} in {ms} ms", "GET {url}：{ms} 毫秒后返回 HTTP {status}"}},
    [MSG_EV_PROBE_ERROR] = {"evidence.probe-error", {"GET {url}: {error}", "GET {url}：{error}"}},
    [MSG_EV_HSERR_FILES] = {"evidence.hs-err-files",
        {"{n} hs_err files found; the newest is {path}", "找到 {n} 个 hs_err 文件；最新的是 {path}"}},
    [MSG_EV_LOG_BANNER] = {"evidence.log-banner",
        {"the log {path} holds the JVM's banner at line {line}",
         "日志 {path} 第 {line} 行有 JVM 的致命错误报告"}},
    [MSG_EV_EARLIER_BANNER] = {"evidence.earlier-banner",
        {"the log {path} holds an earlier run's fatal error banner at line {line} ({summary}), before its last start at line {start}",
         "日志 {path} 第 {line} 行是更早一次运行的致命错误报告（{summary}），在其最近一次启动（第 {start} 行）之前"}},
    [MSG_EV_DOWN_FILE] = {"evidence.down-file",
        {"{file} exists: runit does not start it by itself", "{file} 存在：runit 不会自行启动它"}},
    [MSG_EV_EARLIER_DUMP] = {"evidence.earlier-dump",
        {"the log {path} holds an earlier run's thread dump at line {line} ({summary}), before its last start at line {start}",
         "日志 {path} 第 {line} 行是更早一次运行的线程转储（{summary}），在其最近一次启动（第 {start} 行）之前"}},
    [MSG_EV_EARLIER_HSERR] = {"evidence.earlier-hs-err",
        {"{path} was written at {time} by an earlier JVM: an older crash, not why it is down now",
         "{path} 写于 {time}，来自更早的 JVM：是以前的一次崩溃，并非它现在停止的原因"}},
    [MSG_TIME_UNKNOWN] = {"time.unknown", {"an unknown time", "未知时间"}},
    [MSG_NOTE_SOCKETS_UNKNOWN] = {"state-note.sockets-unknown",
        {"listening sockets unknown: {error}", "无法得知监听的 socket：{error}"}},
    [MSG_NOTE_CMDLINE_UNREADABLE] = {"state-note.command-line-unreadable",
        {"the command line could not be read again: {error}", "无法再次读取命令行：{error}"}},
    [MSG_NOTE_XML_PORT_UNRESOLVED] = {"state-note.xml-port-unresolved",
        {"{file}: {what} port=\"{value}\" could not be resolved",
         "{file}：{what} 的 port=\"{value}\" 无法解析"}},
    [MSG_NOTE_PORT_UNRESOLVED] = {"state-note.port-unresolved",
        {"{source}: {key}={value} could not be resolved", "{source}：{key}={value} 无法解析"}},
    [MSG_NOTE_PORT_RANDOM] = {"state-note.port-random",
        {"{source}: {key}=0, a random port", "{source}：{key}=0，即随机端口"}},
    [MSG_HEAP_DUMP_FILE] = {"heap-dump.file",
        {"{path} ({size} bytes, written {time})", "{path}（{size} 字节，写于 {time}）"}},
    [MSG_PROBLEM_MISSING] = {"problem.missing",
        {"no such file or directory", "文件或目录不存在"}},
    [MSG_PROBLEM_MISSING_CLASS_PATH] = {"problem.missing-class-path",
        {"named by the Class-Path of {jar} but not there", "{jar} 的 Class-Path 中列出了它，但它不存在"}},
    [MSG_PROBLEM_UNREADABLE] = {"problem.unreadable", {"cannot be read: {detail}", "无法读取：{detail}"}},
    [MSG_PROBLEM_CORRUPT] = {"problem.corrupt",
        {"not a readable jar: {detail}", "不是可读取的 jar（zip）文件：{detail}"}},
    [MSG_PROBLEM_TOO_LARGE] = {"problem.too-large",
        {"over a limit, partly read: {detail}", "超出上限，只读取了一部分：{detail}"}},
    [MSG_PROBLEM_PARTLY] = {"problem.partly",
        {"partly unreadable: {detail}", "部分内容无法读取：{detail}"}},
    [MSG_PROBLEM_LISTED_TWICE] = {"problem.listed-twice",
        {"the same file as entry {n} ({path}); read once", "与条目 {n}（{path}）是同一个文件；只读取一次"}},
    [MSG_PROBLEM_BAD_NAMES] = {"problem.bad-entry-names",
        {"{n} entry name(s) skipped as unsafe (absolute, '..', NUL, invalid UTF-8 or too deep)",
         "跳过了 {n} 个不安全的条目名（绝对路径、'..'、NUL、无效的 UTF-8 或层级过深）"}},
    [MSG_PROBLEM_DUPLICATE_ZIP_ENTRIES] = {"problem.duplicate-zip-entries",
        {"the archive holds {n} class name(s) twice; which copy loads depends on the zip "
         "implementation",
         "该归档中有 {n} 个类名出现了两次；加载哪个副本取决于 zip 的实现"}},
    [MSG_PROBLEM_CLASS_PATH_LOOP] = {"problem.class-path-loop",
        {"Class-Path of {jar} refers back to {to} (a loop); the loader skips it",
         "{jar} 的 Class-Path 又指回了 {to}（循环）；类加载器会跳过它"}},
    [MSG_PROBLEM_VIEW_CAP] = {"problem.view-cap",
        {"the classpath lists {n} entries; only the first {max} are read (the limit of entries "
         "per view)",
         "classpath 列出了 {n} 个条目；只读取前 {max} 个（每个视图的条目上限）"}},
    [MSG_PROBLEM_CLASS_PATH_DROPPED] = {"problem.class-path-dropped",
        {"{n} Class-Path item(s) not followed: the view reached the limit of {max} entries",
         "有 {n} 个 Class-Path 项未被跟踪：视图已达到 {max} 个条目的上限"}},
    [MSG_VIEW_NOTE_WILDCARD] = {"view-note.wildcard",
        {"{item} expands to jars in no defined order (the JVM lists the directory as the file "
         "system returns it)",
         "{item} 展开后的 jar 没有确定的顺序（JVM 按文件系统返回的顺序列出该目录）"}},
    [MSG_VIEW_NOTE_BOOT_NO_INDEX] = {"view-note.boot-no-index",
        {"no BOOT-INF/classpath.idx: BOOT-INF/lib is searched in the archive's entry order",
         "没有 BOOT-INF/classpath.idx：按归档中条目的顺序搜索 BOOT-INF/lib"}},
    [MSG_VIEW_NOTE_WEBAPP_LIB] = {"view-note.webapp-lib",
        {"WEB-INF/lib is searched in no defined order (Tomcat lists the directory as the file "
         "system returns it)",
         "WEB-INF/lib 的搜索顺序不确定（Tomcat 按文件系统返回的顺序列出该目录）"}},
    [MSG_VIEW_NOTE_LIB_PROVIDED] = {"view-note.lib-provided",
        {"WEB-INF/lib-provided holds {n} jar(s) that a servlet container does not load",
         "WEB-INF/lib-provided 中有 {n} 个 jar，servlet 容器不会加载它们"}},
    [MSG_VIEW_NOTE_DIR] = {"view-note.dir",
        {"the jars of {path} are loaded in no defined order", "{path} 中的 jar 没有确定的加载顺序"}},
    [MSG_LOG_PROBLEM_SYSTEM] = {"log-problem.system", {"{path}: {detail}", "{path}：{detail}"}},
    [MSG_LOG_PROBLEM_NOT_REGULAR] = {"log-problem.not-regular",
        {"{path}: not a regular file", "{path}：不是普通文件"}},
    [MSG_LOG_PROBLEM_CANNOT_OPEN] = {"log-problem.cannot-open",
        {"{path}: cannot open: {detail}", "{path}：无法打开：{detail}"}},
    [MSG_LOG_PROBLEM_READ_ERROR] = {"log-problem.read-error",
        {"{path}: read error after {n} bytes: {detail}", "{path}：读取 {n} 字节后出现读取错误：{detail}"}},
    [MSG_LOG_PROBLEM_GZIP_SHORT] = {"log-problem.gzip-short",
        {"{path}: compressed data ends early after {n} bytes: {detail}",
         "{path}：读取 {n} 字节后压缩数据提前结束：{detail}"}},
    [MSG_LOG_PROBLEM_ROTATED] = {"log-problem.rotated",
        {"{path}: rotated or truncated while it was read ({n} bytes read)",
         "{path}：读取期间被轮转或截断（已读取 {n} 字节）"}},
    [MSG_LOG_PROBLEM_BINARY] = {"log-problem.binary",
        {"{path}: looks binary, not a log ({n} control bytes in its first {total})",
         "{path}：看起来是二进制文件，不是日志（前 {total} 字节中有 {n} 个控制字节）"}},
    [MSG_LOG_PROBLEM_NUL_BYTES] = {"log-problem.nul-bytes",
        {"{path}: {n} NUL bytes, read as spaces", "{path}：有 {n} 个 NUL 字节，已按空格读取"}},
    [MSG_LOG_PROBLEM_CANNOT_LIST] = {"log-problem.cannot-list",
        {"{path}: cannot list the directory: {detail}", "{path}：无法列出该目录：{detail}"}},
    [MSG_LOG_PROBLEM_SKIPPED] = {"log-problem.skipped",
        {"{path}: named like a log but {why}; skipped", "{path}：名称像日志文件，但{why}；已跳过"}},
    [MSG_LOG_PROBLEM_BAD_PATTERN] = {"log-problem.bad-pattern",
        {"{path}: cannot expand the pattern", "{path}：无法展开该通配模式"}},
    [MSG_LOG_PROBLEM_NONE_READABLE] = {"log-problem.none-readable",
        {"{path}: no readable log file", "{path}：没有可读取的日志文件"}},
    [MSG_LOG_PROBLEM_RULE_LIMIT] = {"log-problem.rule-limit",
        {"rule {id} ({origin}) hit a PCRE2 limit (match, depth or JIT stack) at line {line}; "
         "it was skipped for that event: simplify its pattern",
         "规则 {id}（{origin}）在第 {line} 行触及 PCRE2 的上限（匹配、深度或 JIT 栈）；"
         "该事件跳过了这条规则：请简化它的模式"}},
    [MSG_LOG_UNCATEGORIZED_HINT] = {"log.uncategorized-hint",
        {"No rule knows this error. Read the root cause and the first application frame of the "
         "sample; if it matters and recurs, add a rule for it in a --rules directory.",
         "没有规则能识别这个错误。请查看样本的根本原因和第一个应用程序栈帧；如果它很重要且反复出现，"
         "请在 --rules 目录中为它添加一条规则。"}},
    [MSG_DISC_NO_CONFIG_FILE] = {"discovery.no-config-file",
        {"{file}: no config file", "{file}：没有配置文件"}},
    [MSG_DISC_CONFIG_NO_SERVICES] = {"discovery.config-no-services",
        {"{file} declares no services", "{file} 中没有声明任何服务"}},
    [MSG_DISC_PATH_MISSING] = {"discovery.path-missing",
        {"{service}: {path} does not exist", "{service}：{path} 不存在"}},
    [MSG_DISC_UNREADABLE_JAR] = {"discovery.unreadable-jar",
        {"{path}: not a readable jar ({error})", "{path}：不是可读取的 jar（{error}）"}},
    [MSG_DISC_NO_MAIN_CLASS] = {"discovery.no-main-class",
        {"{path}: a jar without Main-Class, not executable", "{path}：jar 中没有 Main-Class，不可执行"}},
    [MSG_DISC_NO_DIRECTORY] = {"discovery.no-directory",
        {"{dir}: no such directory", "{dir}：目录不存在"}},
    [MSG_DISC_NOTHING_TO_RUN] = {"discovery.nothing-to-run",
        {"{dir}: no jar, conf/server.xml or WEB-INF", "{dir}：没有 jar、conf/server.xml 或 WEB-INF"}},
    [MSG_DISC_SEVERAL_JARS] = {"discovery.several-jars",
        {"{dir}: {n} jars ({first}, {second}{more}); name the application with WRENCH_APP",
         "{dir}：有 {n} 个 jar（{first}、{second}{more}）；请用 WRENCH_APP 指定应用"}},
    [MSG_DISC_APP_NOT_EXECUTABLE] = {"discovery.app-not-executable",
        {"WRENCH_APP={app} is not an executable jar", "WRENCH_APP={app} 不是可执行的 jar"}},
    [MSG_DISC_APP_MISSING] = {"discovery.app-missing",
        {"WRENCH_APP={app}: no such file or directory", "WRENCH_APP={app}：文件或目录不存在"}},
    [MSG_DISC_NOTHING_THERE] = {"discovery.nothing-there",
        {"{place}: nothing there", "{place}：什么也没有"}},
    [MSG_DISC_CATALINA_HOME_ONLY] = {"discovery.catalina-home-only",
        {"{dir}: a Tomcat installation without conf/server.xml (a CATALINA_HOME only)",
         "{dir}：没有 conf/server.xml 的 Tomcat 安装（只是一个 CATALINA_HOME）"}},
    [MSG_DISC_NO_SERVER_XML] = {"discovery.no-server-xml",
        {"{dir}: no conf/server.xml", "{dir}：没有 conf/server.xml"}},
    [MSG_DISC_CANNOT_LIST_APP_BASE] = {"discovery.cannot-list-app-base",
        {"{service}: cannot list appBase {dir}: {error}", "{service}：无法列出 appBase {dir}：{error}"}},
    [MSG_DISC_TOO_MANY_WEBAPPS] = {"discovery.too-many-webapps",
        {"{service}: more than {max} entries in {dir}; the rest were not listed",
         "{service}：{dir} 中的条目超过 {max} 个；其余的未列出"}},
    [MSG_DISC_NO_HOST] = {"discovery.no-host",
        {"{service}: no <Host> in {file}; assuming appBase \"{app_base}\"",
         "{service}：{file} 中没有 <Host>；按 appBase \"{app_base}\" 处理"}},
    [MSG_DISC_SEVERAL_HOSTS] = {"discovery.several-hosts",
        {"{service}: {file} has {n} Hosts; only the first one's webapps are listed",
         "{service}：{file} 中有 {n} 个 Host；只列出第一个 Host 的 webapp"}},
    [MSG_DISC_APP_BASE_ENTITIES] = {"discovery.app-base-entities",
        {"{service}: appBase \"{app_base}\" holds XML entities; taken as written",
         "{service}：appBase \"{app_base}\" 中含有 XML 实体；按原样使用"}},
    [MSG_DISC_CANNOT_READ_SERVER_XML] = {"discovery.cannot-read-server-xml",
        {"{service}: cannot read {file}: {error}; assuming appBase \"{app_base}\"",
         "{service}：无法读取 {file}：{error}；按 appBase \"{app_base}\" 处理"}},
    [MSG_DISC_NO_COMMON_LOADER] = {"discovery.no-common-loader",
        {"{service}: {file} has no common.loader; Tomcat's default assumed",
         "{service}：{file} 中没有 common.loader；按 Tomcat 的默认值处理"}},
    [MSG_DISC_CANNOT_READ_CATALINA_PROPERTIES] = {"discovery.cannot-read-catalina-properties",
        {"{service}: cannot read {file}: {error}; Tomcat's default common.loader assumed",
         "{service}：无法读取 {file}：{error}；按 Tomcat 默认的 common.loader 处理"}},
    [MSG_DISC_UNKNOWN_PROPERTY] = {"discovery.unknown-property",
        {"{service}: common.loader item \"{item}\" names an unknown property",
         "{service}：common.loader 中的 \"{item}\" 引用了未知的属性"}},
    [MSG_DISC_PROCESSES_NONE] = {"discovery.processes-none",
        {"running Java processes: none", "运行中的 Java 进程：没有"}},
    [MSG_DISC_PROCESSES_NOT_LOOKED] = {"discovery.processes-not-looked",
        {"running Java processes: not looked at", "运行中的 Java 进程：未查看"}},
    [MSG_DISC_NO_WEBAPP] = {"discovery.no-webapp",
        {"no webapp found under {dir}", "在 {dir} 下没有找到 webapp"}},
    [MSG_EVD_FOUND_JAR] = {"service-evidence.found-jar",
        {"found {path} ({what})", "找到 {path}（{what}）"}},
    [MSG_EVD_SPRING_BOOT_JAR] = {"service-evidence.spring-boot-jar",
        {"a Spring Boot jar", "Spring Boot 应用 jar"}},
    [MSG_EVD_MAIN_CLASS_JAR] = {"service-evidence.main-class-jar",
        {"a jar with Main-Class", "带 Main-Class 的 jar"}},
    [MSG_EVD_FOUND] = {"service-evidence.found", {"found {path}", "找到 {path}"}},
    [MSG_EVD_MISSING] = {"service-evidence.missing", {"{path} is missing", "缺少 {path}"}},
    [MSG_EVD_EXPLODED_WEBAPP] = {"service-evidence.exploded-webapp",
        {"found {dir}/WEB-INF (an exploded webapp)", "找到 {dir}/WEB-INF（解压后的 webapp）"}},
    [MSG_EVD_JIB_IMAGE] = {"service-evidence.jib-image",
        {"found {path} (a Jib image)", "找到 {path}（Jib 镜像）"}},
    [MSG_EVD_WRENCH_APP] = {"service-evidence.wrench-app",
        {"WRENCH_APP names {path}", "WRENCH_APP 指向 {path}"}},
    [MSG_EVD_DECLARED] = {"service-evidence.declared",
        {"declared in {file} as services[{i}]", "在 {file} 中声明为 services[{i}]"}},
    [MSG_EVD_RUNIT_RUNS] = {"service-evidence.runit-runs",
        {"runit service {dir} runs {command}", "runit 服务 {dir} 运行 {command}"}},
    [MSG_EVD_MAIN_CLASS] = {"service-evidence.main-class",
        {"main class {class}", "主类 {class}"}},
    [MSG_EVD_SHELL_VARIABLES] = {"service-evidence.shell-variables",
        {"the run script uses shell variables wrench does not expand",
         "run 脚本使用了 wrench 不展开的 shell 变量"}},
    [MSG_ORIGIN_PROCESS] = {"origin.process", {"running process", "运行中的进程"}},
    [MSG_ORIGIN_CONFIG] = {"origin.config", {"config {file}", "配置文件 {file}"}},
    [MSG_ORIGIN_CONVENTIONAL] = {"origin.conventional", {"conventional place", "常规位置"}},
    [MSG_ORIGIN_WORKING_DIRECTORY] = {"origin.working-directory",
        {"working directory", "工作目录"}},
    [MSG_ORIGIN_ENVIRONMENT] = {"origin.environment",
        {"environment {variable}", "环境变量 {variable}"}},
    [MSG_ORIGIN_RUNIT] = {"origin.runit", {"runit service {dir}", "runit 服务 {dir}"}},
    [MSG_EXIT_RUN_FAILED] = {"exit.run-failed",
        {"./run could not be started (runsv passes 111)", "./run 无法启动（runsv 传入 111）"}},
    [MSG_EXIT_CODE] = {"exit.code", {"exit {code}", "退出码 {code}"}},
    [MSG_EXIT_SIGNAL] = {"exit.signal",
        {"killed by signal {signo}{name}{core}", "被信号 {signo}{name}终止{core}"}},
    [MSG_EXIT_SIGNAL_NAME] = {"exit.signal-name", {" (SIG{name})", "（SIG{name}）"}},
    [MSG_EXIT_CORE] = {"exit.core", {", core dumped", "，已生成 core dump"}},

    [MSG_DUMP_STATUS_REFUSED] = {"dump.status.refused", {"refused: {error}", "被拒绝：{error}"}},
    [MSG_DUMP_STATUS_NOT_TAKEN] = {"dump.status.not-taken",
        {"not taken: {error}", "未能获取：{error}"}},
    [MSG_DUMP_STATUS_ANSWERED] = {"dump.status.answered",
        {"the JVM answered {code}: {text}", "JVM 返回了 {code}：{text}"}},
    [MSG_DUMP_STATUS_UNREADABLE] = {"dump.status.unreadable",
        {"taken, but no thread could be read from it", "已获取，但从中读不出任何线程"}},
    [MSG_DUMP_STATUS_TAKEN] = {"dump.status.taken",
        {"taken through the attach protocol, {n} threads", "已通过 attach 协议获取，共 {n} 个线程"}},
    [MSG_DUMP_STATUS_IN_LOG] = {"dump.status.in-log",
        {"found in the log {path} at line {line} (a kill -3, jstack or jcmd Thread.print), {n} "
         "threads",
         "在日志 {path} 第 {line} 行找到（kill -3、jstack 或 jcmd Thread.print 的输出），共 {n} "
         "个线程"}},
    [MSG_TD_DEADLOCK] = {"dump.summary.deadlock",
        {"Java-level deadlock: {links}", "Java 级死锁：{links}"}},
    [MSG_TD_DEADLOCK_LINK] = {"dump.summary.deadlock-link",
        {"\"{thread}\" is {wait}, which is held by {holder}",
         "\"{thread}\" {wait}，而它被 {holder} 持有"}},
    [MSG_TD_NO_MAIN] = {"dump.summary.no-main",
        {"{n} threads, no main thread", "{n} 个线程，没有 main 线程"}},
    [MSG_TD_WAITS] = {"dump.summary.waits", {"{thread} waits in {frame}", "{thread} 在 {frame} 中等待"}},
    [MSG_TD_RUNS] = {"dump.summary.runs", {"{thread} runs in {frame}", "{thread} 正在 {frame} 中运行"}},
    [MSG_TD_BLOCKED] = {"dump.summary.blocked",
        {"{thread} is blocked in {frame}", "{thread} 在 {frame} 中被阻塞"}},
    [MSG_TD_VIA] = {"dump.summary.via", {" via {method}", "，经由 {method}"}},
    [MSG_TD_UNDER] = {"dump.summary.under", {" under {method}", "，由 {method} 调用"}},
    [MSG_TD_ON_MONITOR] = {"dump.summary.on-monitor",
        {" on monitor {lock}", "，等待的监视器是 {lock}"}},
    [MSG_TD_ON] = {"dump.summary.on", {" on {lock}", "，等待的是 {lock}"}},
    [MSG_TD_STATE] = {"dump.summary.state", {" ({state})", "（{state}）"}},
    [MSG_TD_NO_FRAME] = {"dump.summary.no-frame",
        {"{thread} has no Java frame ({state})", "{thread} 没有 Java 栈帧（{state}）"}},
    [MSG_TD_NO_STATE] = {"dump.summary.no-state", {"no state", "无状态"}},
    [MSG_HSERR_NATIVE_OOM] = {"hs-err.native-oom",
        {"native out of memory", "本地内存不足"}},
    [MSG_HSERR_FATAL] = {"hs-err.fatal", {"fatal error", "致命错误"}},
    [MSG_HSERR_IN_FRAME] = {"hs-err.in-frame", {" in {frame}", "，出错的栈帧为 {frame}"}},
    [MSG_HSERR_JRE] = {"hs-err.jre", {" (JRE {version})", "（JRE {version}）"}},
    [MSG_TD_TEXT_DEADLOCK] = {"dump.text.deadlock", {"deadlock {n}:", "死锁 {n}："}},
    [MSG_TD_TEXT_BLOCKED] = {"dump.text.blocked",
        {"{n} {n|thread|threads} blocked on monitor {lock} (held by {holder}): {threads}",
         "{n} 个线程阻塞在监视器 {lock} 上（持有者 {holder}）：{threads}"}},
    [MSG_TD_TEXT_HOLDER_UNKNOWN] = {"dump.text.holder-unknown", {"unknown", "未知"}},
    [MSG_TD_TEXT_STACK] = {"dump.text.stack",
        {"{n} threads with the same stack ({state}) at {frame}: {threads}",
         "{n} 个线程的栈相同（{state}），位于 {frame}：{threads}"}},
    [MSG_TD_TEXT_THREADS] = {"dump.text.threads", {"{n} threads{more}", "共 {n} 个线程{more}"}},
    [MSG_TD_TEXT_TRUNCATED] = {"dump.text.truncated",
        {" (more were cut at the caps)", "（超出上限的部分已截去）"}},
    [MSG_HSERR_TEXT_ERROR] = {"hs-err.text.error", {"error: {error}", "错误：{error}"}},
    [MSG_HSERR_TEXT_NATIVE_OOM] = {"hs-err.text.native-oom",
        {"native out of memory: {detail}", "本地内存不足：{detail}"}},
    [MSG_HSERR_TEXT_NO_DETAIL] = {"hs-err.text.no-detail",
        {"insufficient memory for the JRE", "JRE 内存不足"}},
    [MSG_HSERR_TEXT_FRAME] = {"hs-err.text.frame",
        {"problematic frame: {frame}", "出错的栈帧：{frame}"}},
    [MSG_HSERR_TEXT_JRE] = {"hs-err.text.jre", {"JRE: {version}", "JRE：{version}"}},

    [MSG_TEXT_VERDICT] = {"text.verdict", {"Verdict: {verdict}", "结论：{verdict}"}},
    [MSG_TEXT_INCIDENTS] = {"text.incidents", {"Incidents:", "事件："}},
    [MSG_TEXT_INCIDENT] = {"text.incident",
        {"{n}. {what} ({severity}): {cause}", "{n}. {what}（{severity}）：{cause}"}},
    [MSG_TEXT_SEEN_IN] = {"text.seen-in", {"seen in: {list}", "出现在：{list}"}},
    [MSG_TEXT_FIX] = {"text.fix", {"fix: {hint}", "处理：{hint}"}},
    [MSG_SEVERITY_INFO] = {"severity.info", {"info", "信息"}},
    [MSG_SEVERITY_WARNING] = {"severity.warning", {"warning", "警告"}},
    [MSG_SEVERITY_ERROR] = {"severity.error", {"error", "错误"}},
    [MSG_SEVERITY_CRITICAL] = {"severity.critical", {"critical", "严重"}},
    [MSG_TEXT_HEADLINE] = {"text.headline", {"{kind}: {title}", "{kind}：{title}"}},
    [MSG_KIND_CONFLICT] = {"kind.conflict", {"class conflict", "类冲突"}},
    [MSG_KIND_DUPLICATE] = {"kind.duplicate", {"duplicate library", "重复的库"}},
    [MSG_KIND_HINT] = {"kind.hint", {"hint", "提示"}},
    [MSG_KIND_LOG] = {"kind.log", {"log", "日志"}},
    [MSG_KIND_CONTAINER] = {"kind.container", {"container", "容器"}},
    [MSG_KIND_PROBLEM] = {"kind.problem", {"problem", "问题"}},
    [MSG_KIND_LOG_PROBLEM] = {"kind.log-problem", {"log problem", "日志问题"}},
    [MSG_KIND_LOG_FINDING] = {"kind.log-finding", {"log finding", "日志发现"}},
    [MSG_KIND_ENVIRONMENT] = {"kind.environment", {"environment", "环境"}},
    [MSG_TEXT_ARTIFACT] = {"text.artifact",
        {" ({artifact}, from {evidence})", "（{artifact}，依据 {evidence}）"}},
    [MSG_TEXT_LOADED_FIRST] = {"text.loaded-first", {"  <- loaded first", "  <- 先加载"}},
    [MSG_TEXT_UNDEFINED_ORDER] = {"text.undefined-order",
        {"which copy loads is undefined: {why}", "加载哪个副本是不确定的：{why}"}},
    [MSG_TEXT_NO_DEFINED_ORDER] = {"text.no-defined-order",
        {"these entries have no defined order", "这些条目没有确定的加载顺序"}},
    [MSG_TEXT_DIFFERING] = {"text.differing",
        {"differing: {list}", "内容不同的类：{list}"}},
    [MSG_TEXT_SHADED_COPY] = {"text.shaded-copy",
        {"  (shaded copy of {key} {version} inside)", "  （内部 shade 了 {key} {version} 的副本）"}},
    [MSG_TEXT_LOG_TITLE] = {"text.log-title",
        {"{title} ({n} {n|time|times})", "{title}（{n} 次）"}},
    [MSG_TEXT_FIRST_LAST] = {"text.first-last",
        {", first {first}, last {last}", "，首次 {first}，最近 {last}"}},
    [MSG_TEXT_ALSO] = {"text.also", {"also {where}", "另见 {where}"}},
    [MSG_TEXT_CAUSE] = {"text.cause", {"cause: {cause}", "原因：{cause}"}},
    [MSG_TEXT_CLASSPATH] = {"text.classpath", {"classpath: {text}", "classpath：{text}"}},
    [MSG_TEXT_ACCEPTED] = {"text.accepted",
        {"ACCEPTED {severity} {kind}: {title} [{id}] ({reason})",
         "已接受 {severity} {kind}：{title} [{id}]（{reason}）"}},
    [MSG_TEXT_ACCEPTED_COUNT] = {"text.accepted-count",
        {"{n} {n|finding|findings} accepted ({file}), not counted",
         "{n} 个发现已被接受（{file}），不计入统计"}},
    [MSG_TEXT_ACCEPT_FILE] = {"text.accept-file", {"accept file", "接受文件"}},
    [MSG_TEXT_BASELINE_COUNT] = {"text.baseline-count",
        {"{n} {n|finding|findings} also in scan {scan} (baseline), not counted",
         "{n} 个发现在扫描 {scan}（基线）中也有，不计入统计"}},
    [MSG_TEXT_SUMMARY] = {"text.summary",
        {"Summary: {critical} critical, {error} {error|error|errors}, {warning} "
         "{warning|warning|warnings}, {info} info ({ms} ms)",
         "汇总：严重 {critical} 个，错误 {error} 个，警告 {warning} 个，信息 {info} 个（{ms} 毫秒）"}},
    [MSG_TEXT_FOUND_RUNNING] = {"text.found-running",
        {"Found {kind} service {name}: running, pid {pid}",
         "发现 {kind} 服务 {name}：正在运行，pid {pid}"}},
    [MSG_TEXT_FOUND_STOPPED] = {"text.found-stopped",
        {"Found {kind} service {name} ({origin}): not running",
         "发现 {kind} 服务 {name}（{origin}）：未在运行"}},
    [MSG_TEXT_NOT_FOUND] = {"text.not-found", {"not found: {what}", "未找到：{what}"}},
    [MSG_TEXT_CONTAINER] = {"text.container", {"Container:{facts}", "容器：{facts}"}},
    [MSG_TEXT_READ_AS] = {"text.read-as",
        {"{path}: read as {format} (envelope or JSON decoded)",
         "{path}：按 {format} 读取（已解开信封或 JSON）"}},
    [MSG_TEXT_LAST_START] = {"text.last-start",
        {"{path}: last start at line {line}: {text}", "{path}：最近一次启动在第 {line} 行：{text}"}},
    [MSG_TEXT_SKIPPED_EVENTS] = {"text.skipped-events",
        {"{path}: {n} earlier events skipped (--since, --last-start)",
         "{path}：跳过了 {n} 个更早的事件（--since、--last-start）"}},
    [MSG_TEXT_READ_FROM] = {"text.read-from",
        {"{path}: read from byte {offset} (the last start, found from the end; earlier events "
         "not counted, line numbers count from there)",
         "{path}：从第 {offset} 字节开始读取（从末尾找到的最近一次启动；更早的事件不计入，"
         "行号从该处算起）"}},
    [MSG_TEXT_LAST_LINES] = {"text.last-lines",
        {"{path}: the service is not running; its last lines:",
         "{path}：服务未在运行；它的最后几行："}},
    [MSG_TEXT_SCANNED] = {"text.scanned",
        {"Scanned {what}: {n} {n|entry|entries}, {classes} classes",
         "已扫描 {what}：{n} 个条目，{classes} 个类"}},
    [MSG_TEXT_NOTE] = {"text.note", {"note: {text}", "注意：{text}"}},
    [MSG_TEXT_READ_LOGS] = {"text.read-logs",
        {"Read {n} log {n|file|files}: {events} {n_events|event|events}, {mb} MB",
         "已读取 {n} 个日志文件：{events} {n_events|个事件|个事件}，{mb} MB"}},

    [MSG_STATE_NAME_UNKNOWN] = {"state-name.unknown", {"UNKNOWN", "未知"}},
    [MSG_STATE_NAME_UP] = {"state-name.up", {"UP", "运行中"}},
    [MSG_STATE_NAME_STARTING] = {"state-name.starting", {"STARTING", "启动中"}},
    [MSG_STATE_NAME_HUNG] = {"state-name.hung", {"HUNG", "挂起"}},
    [MSG_STATE_NAME_DOWN] = {"state-name.down", {"DOWN", "已停止"}},
    [MSG_STATE_NAME_CRASHED] = {"state-name.crashed", {"CRASHED", "已崩溃"}},
    [MSG_SVC_LINE] = {"service.line",
        {"Service {name} ({kind}): {state}, {reason}", "服务 {name}（{kind}）：{state}，{reason}"}},
    [MSG_SVC_PROCESS] = {"service.process", {"process: pid {pid}", "进程：pid {pid}"}},
    [MSG_SVC_UPTIME] = {"service.uptime", {", up {s} s", "，已运行 {s} 秒"}},
    [MSG_SVC_THREADS] = {"service.threads", {", {n} threads", "，{n} 个线程"}},
    [MSG_SVC_RSS] = {"service.rss", {", RSS {rss}", "，RSS {rss}"}},
    [MSG_SVC_RSS_LIMIT] = {"service.rss-limit", {" of a {limit} limit", "（限制 {limit}）"}},
    [MSG_SVC_OPEN_FILES] = {"service.open-files", {", {n} open files", "，打开文件 {n} 个"}},
    [MSG_SVC_OPEN_FILES_LIMIT] = {"service.open-files-limit", {" of {limit}", "（上限 {limit}）"}},
    [MSG_SVC_PORT] = {"service.port",
        {"port {port} ({what}, {source}): {listening}", "端口 {port}（{what}，{source}）：{listening}"}},
    [MSG_SVC_PORT_LISTENING] = {"service.port-listening", {"listening", "正在监听"}},
    [MSG_SVC_PORT_NOT_LISTENING] = {"service.port-not-listening", {"NOT listening", "未监听"}},
    [MSG_SVC_PORT_LOG] = {"service.port-log", {"; log: {finding}", "；日志：{finding}"}},
    [MSG_SVC_LISTENING] = {"service.listening", {"listening:{list}", "正在监听：{list}"}},
    [MSG_SVC_QUEUE_STUCK] = {"service.queue-stuck",
        {" ({n} connections wait, not accepted)", "（{n} 个连接在等待，未被接受）"}},
    [MSG_SVC_NO_TCP_PORT] = {"service.no-tcp-port",
        {"listening: no TCP port", "正在监听：没有 TCP 端口"}},
    [MSG_SVC_DUMP] = {"service.dump", {"thread dump: {status}", "线程转储：{status}"}},
    [MSG_SVC_RUNIT] = {"service.runit", {"runit: {dir}, {stat}", "runit：{dir}，{stat}"}},
    [MSG_SVC_NEVER_RUN] = {"service.never-run", {"never run", "从未运行"}},
    [MSG_SVC_RUNIT_FOR] = {"service.runit-for", {", for {s} s", "，已持续 {s} 秒"}},
    [MSG_SVC_LAST_EXIT] = {"service.last-exit", {"last exit: {exit}", "上次退出：{exit}"}},
    [MSG_SVC_CRASH_LOG] = {"service.crash-log", {"crash log: {path}", "崩溃日志：{path}"}},
    [MSG_SVC_HEAP_DUMP] = {"service.heap-dump", {"heap dump: {path}", "堆转储：{path}"}},
    [MSG_SVC_PROBE_STATUS] = {"service.probe-status",
        {"probe {url}: HTTP {status} in {ms} ms", "探测 {url}：{ms} 毫秒后返回 HTTP {status}"}},
    [MSG_SVC_PROBE_ERROR] = {"service.probe-error", {"probe {url}: {error}", "探测 {url}：{error}"}},
    [MSG_SVC_NO_ANSWER] = {"service.no-answer", {"no answer", "无应答"}},
    [MSG_SVC_LAST_SEEN] = {"service.last-seen",
        {"last seen: pid {pid} at {at}{flag}", "最后一次看到：{at}，pid {pid}{flag}"}},
    [MSG_SVC_STARTS] = {"service.starts",
        {"starts: {n} in its logs (the last {when}, {end})",
         "启动：日志中有 {n} 次（最近一次{when}，{end}）"}},
    [MSG_SVC_STARTS_AGO] = {"service.starts-ago",
        {"{span} before the scan", "在扫描前 {span}"}},
    [MSG_SVC_STARTS_AT] = {"service.starts-at", {"at {where}", "位于 {where}"}},
    [MSG_SVC_STARTS_TOOK] = {"service.starts-took", {"finished in {s} s", "用时 {s} 秒完成"}},
    [MSG_SVC_STARTS_FINISHED] = {"service.starts-finished", {"finished", "已完成"}},
    [MSG_SVC_STARTS_NOT_FINISHED] = {"service.starts-not-finished", {"not finished", "未完成"}},
    [MSG_SVC_EVIDENCE] = {"service.evidence", {"evidence: {text}", "证据：{text}"}},
    [MSG_SVC_NOTE] = {"service.note", {"note: {text}", "注意：{text}"}},
    [MSG_SPAN_S] = {"span.s", {"{n} s", "{n} 秒"}},
    [MSG_SPAN_MIN] = {"span.min", {"{n} min", "{n} 分钟"}},
    [MSG_SPAN_H] = {"span.h", {"{n} h", "{n} 小时"}},
    [MSG_SPAN_DAYS] = {"span.days", {"{n} days", "{n} 天"}},

    [MSG_DIFF_COMPARING] = {"diff.comparing",
        {"Comparing scan {a} ({a_started}, {a_targets})\n     with scan {b} ({b_started}, "
         "{b_targets})",
         "比较扫描 {a}（{a_started}，{a_targets}）\n  和扫描 {b}（{b_started}，{b_targets}）"}},
    [MSG_DIFF_NONE] = {"diff.none",
        {"No difference: the same findings and the same jars.", "没有差异：发现和 jar 都相同。"}},
    [MSG_DIFF_HEADING] = {"diff.heading", {"{heading} ({n}):", "{heading}（{n}）："}},
    [MSG_DIFF_NEW] = {"diff.new", {"New findings", "新的发现"}},
    [MSG_DIFF_RESOLVED] = {"diff.resolved", {"Resolved findings", "已解决的发现"}},
    [MSG_DIFF_JARS_ADDED] = {"diff.jars-added", {"Jars added", "新增的 jar"}},
    [MSG_DIFF_JARS_REMOVED] = {"diff.jars-removed", {"Jars removed", "移除的 jar"}},
    [MSG_DIFF_JARS_CHANGED] = {"diff.jars-changed", {"Jars changed", "变化的 jar"}},
    [MSG_DIFF_CHANGE_VERSION] = {"diff.change.version", {"version", "版本变化"}},
    [MSG_DIFF_CHANGE_MOVED] = {"diff.change.moved", {"moved", "已移动"}},
    [MSG_DIFF_CHANGE_REPLACED] = {"diff.change.replaced", {"replaced", "已替换"}},
    [MSG_DIFF_SUMMARY] = {"diff.summary",
        {"Summary: {new} new, {resolved} resolved; jars: {added} added, {removed} removed, "
         "{changed} changed",
         "汇总：新增 {new} 个，已解决 {resolved} 个；jar：新增 {added} 个，移除 {removed} 个，"
         "变化 {changed} 个"}},
};
/* clang-format on */

const char *msg_name(enum msg_id id)
{
    return (unsigned)id < MSG_COUNT ? catalogue[id].name : NULL;
}

const char *msg_template(enum msg_id id, enum lang lang)
{
    if ((unsigned)id >= MSG_COUNT || (unsigned)lang >= LANG_COUNT)
        return NULL;
    return catalogue[id].text[lang];
}

static const struct msg_arg *find_arg(const struct msg_arg *args, const char *name, size_t len)
{
    for (; args && args->kind != MSG_ARG_END; args++)
        if (strlen(args->name) == len && strncmp(args->name, name, len) == 0)
            return args;
    return NULL;
}

/* "1234567" -> "1,234,567". */
static void put_count(struct strbuf *sb, unsigned long long n)
{
    char digits[32];
    int len = snprintf(digits, sizeof(digits), "%llu", n);
    for (int i = 0; i < len; i++) {
        if (i && (len - i) % 3 == 0)
            strbuf_puts(sb, ",");
        strbuf_append(sb, digits + i, 1);
    }
}

static void put_arg(struct strbuf *sb, const struct msg_arg *a, enum lang lang)
{
    if (a->kind == MSG_ARG_TEXT) {
        const char *s = a->text[lang] ? a->text[lang] : a->text[LANG_EN];
        strbuf_puts(sb, s ? s : "");
    } else if (a->kind == MSG_ARG_NUM) {
        strbuf_printf(sb, "%llu", a->num);
    } else {
        put_count(sb, a->num);
    }
}

/* "{n|one|other}": the form for the number argument n. */
static void put_plural(struct strbuf *sb, const struct msg_arg *a, const char *forms, size_t len)
{
    const char *bar = memchr(forms, '|', len);
    if (!bar)
        return;
    bool one = a->kind != MSG_ARG_TEXT && a->num == 1;
    if (one)
        strbuf_append(sb, forms, (size_t)(bar - forms));
    else
        strbuf_append(sb, bar + 1, len - (size_t)(bar + 1 - forms));
}

/* Is the UTF-8 character at s a CJK ideograph or CJK/full-width punctuation (U+3000..U+9FFF,
 * U+FF00..U+FFEF)? */
static bool cjk_at(const char *s)
{
    const unsigned char *u = (const unsigned char *)s;
    return (u[0] >= 0xe3 && u[0] <= 0xe9) || (u[0] == 0xef && (u[1] == 0xbc || u[1] == 0xbd));
}

/* Is the UTF-8 character ending just before s (at or after `start`) CJK? */
static bool cjk_before(const char *start, const char *s)
{
    const char *p = s;
    while (p > start && ((unsigned char)p[-1] & 0xc0) == 0x80)
        p--;
    return p > start && cjk_at(p - 1);
}

/* Chinese sets a space between Chinese and Latin text ("webapp /acme 启动失败") but none
 * between two Chinese characters ("服务启动失败"): a space of the template between
 * placeholders goes when the texts on both sides turn out Chinese. `spaces` are the offsets
 * of the template's spaces in `sb`. */
static void fit_spaces(struct strbuf *sb, const size_t *spaces, size_t n)
{
    size_t out = 0, k = 0;
    for (size_t i = 0; i < sb->len; i++) {
        bool drop = k < n && spaces[k] == i && cjk_before(sb->data, sb->data + i) &&
                    i + 1 < sb->len && cjk_at(sb->data + i + 1);
        if (k < n && spaces[k] == i)
            k++;
        if (!drop)
            sb->data[out++] = sb->data[i];
    }
    sb->len = out;
    sb->data[out] = '\0';
}

char *msg_render(enum msg_id id, enum lang lang, const struct msg_arg *args)
{
    const char *t = msg_template(id, lang);
    if (!t)
        t = msg_template(id, LANG_EN);
    struct strbuf sb = {0};
    strbuf_puts(&sb, "");
    size_t spaces[16], n_spaces = 0;
    for (const char *p = t ? t : ""; *p;) {
        const char *close = *p == '{' ? strchr(p, '}') : NULL;
        if (!close) {
            const char *next = strchr(p + 1, '{');
            size_t n = next ? (size_t)(next - p) : strlen(p);
            for (size_t i = 0; i < n && lang == LANG_ZH; i++)
                if (p[i] == ' ' && n_spaces < sizeof(spaces) / sizeof(spaces[0]))
                    spaces[n_spaces++] = sb.len + i;
            strbuf_append(&sb, p, n);
            p += n;
            continue;
        }
        const char *body = p + 1;
        size_t body_len = (size_t)(close - body);
        const char *bar = memchr(body, '|', body_len);
        size_t name_len = bar ? (size_t)(bar - body) : body_len;
        const struct msg_arg *a = find_arg(args, body, name_len);
        if (!a)
            strbuf_append(&sb, p, (size_t)(close + 1 - p));
        else if (bar)
            put_plural(&sb, a, bar + 1, body_len - name_len - 1);
        else
            put_arg(&sb, a, lang);
        p = close + 1;
    }
    fit_spaces(&sb, spaces, n_spaces);
    return strbuf_take(&sb);
}

static int compare_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

char *msg_placeholders(const char *template, int *bad)
{
    char **names = NULL;
    size_t n = 0, cap = 0;
    *bad = 0;
    for (const char *p = template; p && (p = strchr(p, '{')) != NULL;) {
        const char *close = strchr(p, '}');
        const char *bar = close ? memchr(p, '|', (size_t)(close - p)) : NULL;
        const char *end = bar ? bar : close;
        if (!close || end == p + 1 || memchr(p + 1, '{', (size_t)(close - p - 1)) ||
            (bar && !memchr(bar + 1, '|', (size_t)(close - bar - 1)))) {
            *bad = 1;
            break;
        }
        char *name = xstrndup(p + 1, (size_t)(end - p - 1));
        bool seen = false;
        for (size_t i = 0; i < n && !seen; i++)
            seen = strcmp(names[i], name) == 0;
        if (seen) {
            free(name);
        } else {
            names = xgrow(names, &cap, n + 1, sizeof(*names));
            names[n++] = name;
        }
        p = close + 1;
    }
    if (template && strchr(template, '}') && !n)
        *bad = 1;
    if (n)
        qsort(names, n, sizeof(*names), compare_names);
    struct strbuf sb = {0};
    strbuf_puts(&sb, "");
    for (size_t i = 0; i < n; i++)
        strbuf_printf(&sb, "%s%s", i ? " " : "", names[i]);
    strv_free(names, n);
    return strbuf_take(&sb);
}

void strbuf_msg_args(struct strbuf *sb, enum msg_id id, enum lang lang, const struct msg_arg *args)
{
    char *s = msg_render(id, lang, args);
    strbuf_puts(sb, s);
    free(s);
}

void bibuf_msg_args(struct bibuf *b, enum msg_id id, const struct msg_arg *args)
{
    for (int l = 0; l < LANG_COUNT; l++)
        strbuf_msg_args(&b->s[l], id, (enum lang)l, args);
}

void bibuf_puts(struct bibuf *b, const char *en, const char *zh)
{
    strbuf_puts(&b->s[LANG_EN], en ? en : "");
    strbuf_puts(&b->s[LANG_ZH], zh ? zh : en ? en : "");
}

void bibuf_list_sep(struct bibuf *b, size_t i, size_t n)
{
    if (i == 0)
        return;
    bibuf_msg_args(b, i + 1 == n ? MSG_LIST_LAST : MSG_LIST_SEP, MSG_ARGS(MSG_END));
}

void bibuf_take(struct bibuf *b, char **en, char **zh)
{
    char *s[LANG_COUNT];
    for (int l = 0; l < LANG_COUNT; l++) {
        s[l] = strbuf_take(&b->s[l]);
        if (!s[l])
            s[l] = xstrdup("");
    }
    *en = s[LANG_EN];
    *zh = s[LANG_ZH];
}

void bibuf_free(struct bibuf *b)
{
    for (int l = 0; l < LANG_COUNT; l++)
        strbuf_free(&b->s[l]);
}

const char *msg_pick(enum lang lang, const char *en, const char *zh)
{
    return lang == LANG_ZH && zh ? zh : en;
}
