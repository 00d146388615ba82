// i18n.js - every string of the UI, in English and Simplified Chinese, and the
// choice of language: a stored choice first, else navigator.languages (zh* ->
// zh-CN), else English. t('key', {name: value}) fills {name} placeholders.

const STORE_KEY = 'wrench.lang';

export const LANGUAGES = [
    {code: 'en', label: 'English'},
    {code: 'zh-CN', label: '中文'},
];

const DICT = {
    'en': {
        'app.title': 'wrench',
        'nav.scans': 'Scans',
        'lang.label': 'Language',
        'run.button': 'Run scan',
        'run.starting': 'Starting a scan…',
        'run.started': 'Scan #{id} started.',
        'run.busy': 'A scan is already running.',
        'token.title': 'Access token required',
        'token.text': 'This wrench server requires a bearer token. Paste it here: it is kept only for this browser tab and sent as an Authorization header.',
        'token.label': 'Bearer token',
        'token.save': 'Use token',
        'token.forget': 'Forget token',
        'token.refused': 'The server refused the token.',
        'err.network': 'Cannot reach the wrench server.',
        'err.http': 'The server answered {status}: {message}',
        'err.route': 'There is no such page.',
        'err.bad_data': 'The server sent data this page cannot read.',
        'loading': 'Loading…',
        'none': 'None.',
        'unknown': 'unknown',
        'yes': 'yes',
        'no': 'no',
        'ms': '{n} ms',
        'list.title': 'Scans',
        'list.empty': 'No scan is stored yet. Press “Run scan” to start one.',
        'list.col.id': 'Scan',
        'list.col.started': 'Started',
        'list.col.status': 'Status',
        'list.col.findings': 'Findings',
        'list.col.verdict': 'Verdict',
        'list.col.targets': 'Targets',
        'list.col.compare': 'Compare',
        'list.compare': 'changes',
        'list.more': 'Older scans',
        'status.queued': 'queued',
        'status.running': 'running',
        'status.done': 'done',
        'status.complete': 'complete',
        'status.failed': 'failed',
        'scan.title': 'Scan #{id}',
        'scan.started': 'Started',
        'scan.duration': 'Duration',
        'scan.host': 'Host',
        'scan.version': 'wrench version',
        'scan.compare': 'Compare with the previous scan',
        'scan.download': 'Download JSON',
        'scan.failed': 'The scan failed: {message}',
        'progress.label': 'Scan progress',
        'progress.text': '{status}: {percent} – {step}',
        'progress.nostep': '{status}: {percent}',
        'verdict.title': 'Verdict',
        'verdict.evidence': 'Evidence',
        'verdict.clean': 'Nothing above the info level was found.',
        'section.incidents': 'Incidents',
        'section.accepted': 'Accepted',
        'accepted.readonly': 'Accepted in {file}: shown, not counted. Read-only here; edit the accept file to change it.',
        'accepted.tag': 'accepted',
        'accepted.reason': 'Accepted because',
        'accepted.kind': 'Kind',
        'accepted.id': 'Finding id',
        'baseline.tag': 'not new',
        'baseline.note': '{n} findings also in scan {scan} (baseline), not counted.',
        'incident.what': 'What failed',
        'incident.impact': 'Impact',
        'incident.cause': 'Root cause',
        'incident.hint': 'What to do',
        'evidence.class': 'class',
        'summary.title': 'Findings by severity',
        'summary.views': 'Views',
        'summary.entries': 'Classpath entries',
        'summary.classes': 'Classes',
        'sev.critical': 'Critical',
        'sev.error': 'Error',
        'sev.warning': 'Warning',
        'sev.info': 'Info',
        'section.logs': 'Log findings',
        'section.hints': 'Known troublesome combinations',
        'section.conflicts': 'Class conflicts',
        'section.duplicates': 'Duplicate artifacts',
        'section.entries': 'Classpath entries',
        'section.container': 'Container facts',
        'section.problems': 'Problems',
        'log.rule': 'Rule',
        'log.count': 'Occurrences',
        'log.first': 'First seen',
        'log.last': 'Last seen',
        'log.where': 'Where',
        'log.root': 'Root cause',
        'log.hint': 'What to do',
        'log.sample': 'Sample',
        'log.truncated': '(cut short)',
        'log.files': 'Log files read',
        'log.dropped': '{n} further groups were not kept.',
        'conflict.jars': 'Jars, in loader order',
        'conflict.winner': 'Loaded from',
        'conflict.wins': 'loads first',
        'conflict.undefined': 'undefined: which copy loads depends on the file system or the container',
        'conflict.counts': 'Shared classes: {shared} ({identical} identical, {differing} differing, {unknown} not compared)',
        'conflict.differing': 'Differing classes',
        'conflict.more': '… and {n} more',
        'conflict.samples': 'Sample classes',
        'conflict.classes': 'Shared classes (differing first: CRC-32/size of each jar\'s copy)',
        'conflict.copiesTitle': 'CRC-32/size of the copy in each jar, in loader order',
        'conflict.identicalTag': 'identical',
        'conflict.page': '{from}–{to} of {n}',
        'conflict.prev': '‹ Previous',
        'conflict.next': 'Next ›',
        'conflict.truncated': 'The list stops here: the report lists at most 100,000 class names.',
        'dup.key': 'Artifact',
        'dup.copies': 'Copies',
        'dup.shaded': 'shaded inside another jar',
        'dup.noversion': 'version unknown',
        'hint.rule': 'Rule',
        'hint.text': 'What it means',
        'hint.jars': 'Jars',
        'problem.path': 'File',
        'problem.message': 'Message',
        'problem.severity': 'Severity',
        'view.title': 'View “{name}” ({kind})',
        'view.target': 'Target',
        'view.note': 'Note',
        'entries.filter': 'Filter entries',
        'entries.placeholder': 'path, artifact, version…',
        'entries.status': 'Status',
        'entries.status.all': 'all',
        'entries.status.notok': 'not ok',
        'entries.shown': 'Showing {shown} of {total} entries.',
        'entries.col.index': '#',
        'entries.col.path': 'Path',
        'entries.col.artifact': 'Artifact',
        'entries.col.version': 'Version',
        'entries.col.evidence': 'Identified by',
        'entries.col.status': 'Status',
        'entries.col.classes': 'Classes',
        'entries.col.origin': 'Origin',
        'container.none': 'No container facts in this report.',
        'diff.title': 'Changes in scan #{to} since scan #{from}',
        'diff.title_to': 'Changes in scan #{to}',
        'diff.to_scan': 'Open scan #{id}',
        'diff.new_findings': 'New findings',
        'diff.resolved_findings': 'Resolved findings',
        'diff.jars_added': 'Jars added',
        'diff.jars_removed': 'Jars removed',
        'diff.jars_changed': 'Jars changed in version',
        'diff.nothing': 'Nothing changed.',
        'diff.unavailable': 'No comparison is possible: {message}',
        'field.kind': 'kind',
        'field.view': 'view',
        'field.identity': 'identity',
        'field.path': 'path',
        'field.key': 'artifact',
        'field.from': 'before',
        'field.to': 'after',
        'field.title': 'title',
        'text.more': 'show all ({n} characters)',
    },
    'zh-CN': {
        'app.title': 'wrench',
        'nav.scans': '扫描记录',
        'lang.label': '语言',
        'run.button': '运行扫描',
        'run.starting': '正在启动扫描…',
        'run.started': '扫描 #{id} 已开始。',
        'run.busy': '已有扫描正在运行。',
        'token.title': '需要访问令牌',
        'token.text': '此 wrench 服务器需要 Bearer 令牌。请粘贴到这里：令牌只保存在当前浏览器标签页中，并作为 Authorization 请求头发送。',
        'token.label': 'Bearer 令牌',
        'token.save': '使用令牌',
        'token.forget': '清除令牌',
        'token.refused': '服务器拒绝了该令牌。',
        'err.network': '无法连接 wrench 服务器。',
        'err.http': '服务器返回 {status}：{message}',
        'err.route': '页面不存在。',
        'err.bad_data': '服务器返回的数据无法识别。',
        'loading': '正在加载…',
        'none': '无。',
        'unknown': '未知',
        'yes': '是',
        'no': '否',
        'ms': '{n} 毫秒',
        'list.title': '扫描记录',
        'list.empty': '还没有保存的扫描。点击“运行扫描”开始。',
        'list.col.id': '扫描',
        'list.col.started': '开始时间',
        'list.col.status': '状态',
        'list.col.findings': '发现',
        'list.col.verdict': '结论',
        'list.col.targets': '目标',
        'list.col.compare': '对比',
        'list.compare': '变化',
        'list.more': '更早的扫描',
        'status.queued': '排队中',
        'status.running': '运行中',
        'status.done': '已完成',
        'status.complete': '已完成',
        'status.failed': '失败',
        'scan.title': '扫描 #{id}',
        'scan.started': '开始时间',
        'scan.duration': '耗时',
        'scan.host': '主机',
        'scan.version': 'wrench 版本',
        'scan.compare': '与上一次扫描对比',
        'scan.download': '下载 JSON',
        'scan.failed': '扫描失败：{message}',
        'progress.label': '扫描进度',
        'progress.text': '{status}：{percent} – {step}',
        'progress.nostep': '{status}：{percent}',
        'verdict.title': '结论',
        'verdict.evidence': '证据',
        'verdict.clean': '没有发现高于“信息”级别的问题。',
        'section.incidents': '事件',
        'section.accepted': '已接受',
        'accepted.readonly': '已在 {file} 中接受：仅显示，不计数。此处只读；如需更改请编辑接受文件。',
        'accepted.tag': '已接受',
        'accepted.reason': '接受原因',
        'accepted.kind': '类型',
        'accepted.id': '发现 ID',
        'baseline.tag': '非新增',
        'baseline.note': '{n} 个发现也存在于扫描 {scan}（基线）中，不计数。',
        'incident.what': '失败的对象',
        'incident.impact': '影响',
        'incident.cause': '根本原因',
        'incident.hint': '处理建议',
        'evidence.class': '类',
        'summary.title': '按严重程度统计',
        'summary.views': '视图',
        'summary.entries': '类路径条目',
        'summary.classes': '类',
        'sev.critical': '严重',
        'sev.error': '错误',
        'sev.warning': '警告',
        'sev.info': '信息',
        'section.logs': '日志发现',
        'section.hints': '已知的问题组合',
        'section.conflicts': '类冲突',
        'section.duplicates': '重复的构件',
        'section.entries': '类路径条目',
        'section.container': '容器信息',
        'section.problems': '问题',
        'log.rule': '规则',
        'log.count': '次数',
        'log.first': '首次出现',
        'log.last': '最后出现',
        'log.where': '位置',
        'log.root': '根本原因',
        'log.hint': '处理建议',
        'log.sample': '示例',
        'log.truncated': '（已截断）',
        'log.files': '已读取的日志文件',
        'log.dropped': '另有 {n} 组未保留。',
        'conflict.jars': 'Jar 包（按加载顺序）',
        'conflict.winner': '实际加载自',
        'conflict.wins': '优先加载',
        'conflict.undefined': '不确定：加载哪个副本取决于文件系统或容器',
        'conflict.counts': '共有的类：{shared} 个（相同 {identical}，不同 {differing}，未比较 {unknown}）',
        'conflict.differing': '不同的类',
        'conflict.more': '…另有 {n} 个',
        'conflict.samples': '示例类',
        'conflict.classes': '共有的类（不同的在前：各 Jar 中副本的 CRC-32/大小）',
        'conflict.copiesTitle': '各 Jar 中副本的 CRC-32/大小，按加载顺序',
        'conflict.identicalTag': '相同',
        'conflict.page': '第 {from}–{to} 个，共 {n} 个',
        'conflict.prev': '‹ 上一页',
        'conflict.next': '下一页 ›',
        'conflict.truncated': '列表到此为止：报告最多列出 100,000 个类名。',
        'dup.key': '构件',
        'dup.copies': '副本',
        'dup.shaded': '内嵌（shade）在另一个 jar 中',
        'dup.noversion': '版本未知',
        'hint.rule': '规则',
        'hint.text': '含义',
        'hint.jars': 'Jar 包',
        'problem.path': '文件',
        'problem.message': '说明',
        'problem.severity': '严重程度',
        'view.title': '视图“{name}”（{kind}）',
        'view.target': '目标',
        'view.note': '备注',
        'entries.filter': '筛选条目',
        'entries.placeholder': '路径、构件、版本…',
        'entries.status': '状态',
        'entries.status.all': '全部',
        'entries.status.notok': '异常',
        'entries.shown': '显示 {shown} / {total} 个条目。',
        'entries.col.index': '#',
        'entries.col.path': '路径',
        'entries.col.artifact': '构件',
        'entries.col.version': '版本',
        'entries.col.evidence': '识别依据',
        'entries.col.status': '状态',
        'entries.col.classes': '类',
        'entries.col.origin': '来源',
        'container.none': '本报告没有容器信息。',
        'diff.title': '扫描 #{to} 相对于扫描 #{from} 的变化',
        'diff.title_to': '扫描 #{to} 的变化',
        'diff.to_scan': '打开扫描 #{id}',
        'diff.new_findings': '新增的发现',
        'diff.resolved_findings': '已解决的发现',
        'diff.jars_added': '新增的 Jar 包',
        'diff.jars_removed': '移除的 Jar 包',
        'diff.jars_changed': '版本变化的 Jar 包',
        'diff.nothing': '没有变化。',
        'diff.unavailable': '无法对比：{message}',
        'field.kind': '类型',
        'field.view': '视图',
        'field.identity': '标识',
        'field.path': '路径',
        'field.key': '构件',
        'field.from': '之前',
        'field.to': '之后',
        'field.title': '标题',
        'text.more': '显示全部（{n} 个字符）',
    },
};

let current = 'en';

function supported(tag) {
    const lower = String(tag || '').toLowerCase();
    if (lower.startsWith('zh')) return 'zh-CN';
    if (lower.startsWith('en')) return 'en';
    return null;
}

function storedLanguage() {
    try {
        const value = localStorage.getItem(STORE_KEY);
        return value in DICT ? value : null;
    } catch (e) {
        return null; // storage disabled: fall back to the browser's languages
    }
}

// The stored choice, else the first browser language we have, else English.
export function initLanguage() {
    const preferred = navigator.languages && navigator.languages.length
        ? navigator.languages : [navigator.language];
    let lang = storedLanguage();
    for (const tag of preferred) {
        if (lang) break;
        lang = supported(tag);
    }
    current = lang || 'en';
    document.documentElement.lang = current;
    return current;
}

export function setLanguage(code) {
    if (!(code in DICT)) return;
    current = code;
    document.documentElement.lang = code;
    try {
        localStorage.setItem(STORE_KEY, code);
    } catch (e) {
        // storage disabled: the choice lasts for this page only
    }
}

export function language() {
    return current;
}

export function t(key, params) {
    const text = DICT[current][key] ?? DICT.en[key] ?? key;
    if (!params) return text;
    return text.replace(/\{(\w+)\}/g, (m, name) => (name in params ? String(params[name]) : m));
}

// t() for keys that may be missing (severity or status names from the server).
export function tOr(key, fallback) {
    return DICT[current][key] ?? DICT.en[key] ?? fallback;
}

export function formatNumber(n) {
    return typeof n === 'number' ? new Intl.NumberFormat(current).format(n) : t('unknown');
}

export function formatPercent(fraction) {
    const clamped = Math.min(1, Math.max(0, Number(fraction) || 0));
    return new Intl.NumberFormat(current, {style: 'percent'}).format(clamped);
}

// An ISO timestamp in the reader's local time; the raw text when it does not parse.
export function formatTime(iso) {
    if (typeof iso !== 'string') return t('unknown');
    const date = new Date(iso);
    if (Number.isNaN(date.getTime())) return iso;
    return date.toLocaleString(current, {dateStyle: 'medium', timeStyle: 'medium'});
}

// Fill the static page text marked data-i18n="key".
export function translateStatic(root) {
    for (const node of root.querySelectorAll('[data-i18n]')) node.textContent = t(node.dataset.i18n);
}
