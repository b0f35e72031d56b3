/**
 * The command line's help in Chinese, keyed by the English each command registers, so the
 * English stays written once, beside the option it describes. `cli-help.test.ts` fails on
 * a command, option or argument added without its Chinese here.
 */
export const HELP_ZH: Readonly<Record<string, string>> = {
  'After-sales service: warranty, returns, replacements and repairs': '售后服务：保修、退货、换新与维修',
  'Create or update the database tables (SQLite in the data folder, or DATABASE_URL)':
    '创建或更新数据库表（数据文件夹中的 SQLite，或 DATABASE_URL）',
  'Serve the API and web app, and run the outbox and SLA workers':
    '提供 API 和网页应用，并运行发件箱与服务时限后台任务',
  'port to listen on (default PORT or 3000; 0 picks a free one)':
    '监听的端口（默认取 PORT 或 3000；0 表示任选一个空闲端口）',
  'address to listen on (default HOST or 127.0.0.1)': '监听的地址（默认取 HOST 或 127.0.0.1）',
  'Migrate, seed the demo on an empty database, build the web app if needed, and serve':
    '更新数据库表，在空数据库中载入演示数据，必要时构建网页应用，然后开始服务',
  'Write every table to FILE as JSON lines, from one consistent snapshot (either engine)':
    '从同一个一致的快照把所有表以 JSON 行写入 FILE（两种数据库均可）',
  'where to write the backup': '备份写到哪里',
  'Load a backup into an empty database (migrated first), all in one transaction':
    '把备份载入空数据库（先建表），全部在一个事务中完成',
  'a file written by `aftercare backup`': '由 `aftercare backup` 写出的文件',
  'empty a database that already holds data before restoring': '恢复前先清空已有数据的数据库',
  'Decide a warranty case (JSON file, or - for stdin), or a JSONL batch with --batch':
    '判定一个保修案例（JSON 文件，- 表示标准输入），或用 --batch 判定一批 JSONL',
  'case as JSON, - for stdin': 'JSON 格式的案例，- 表示标准输入',
  'one case per line (JSONL); one decision per line out': '每行一个案例（JSONL）；每行输出一个判定',
  'extra folder of policy files': '另外的政策文件夹',
  'decide by this policy version instead of the one in force': '按此政策版本判定，而不是现行版本',
  'Warranty policies: list, show, check': '保修政策：列出、查看、检查',
  'List loaded policies and their versions': '列出已载入的政策及其版本',
  'Print the source of a policy (latest version, or --policy-version)':
    '打印政策原文（最新版本，或 --policy-version 指定的版本）',
  'policy id': '政策编号',
  'a named version': '指定的版本',
  'Validate a policy file (or recovery terms file) and run its embedded examples':
    '检查政策文件（或追偿条款文件）并运行其中的示例',
  'policy YAML file': '政策 YAML 文件',
  'Import models, units, customers, dealers or past claims from a CSV file (re-importing the same file changes nothing)':
    '从 CSV 文件导入型号、设备、客户、经销商或过往申请（重复导入同一文件不会改变任何内容）',
  'what the file holds': '文件的内容类别',
  'the CSV file, with a header row': '带表头行的 CSV 文件',
  'where to write rejected rows (default: FILE.rejects.csv beside the file)':
    '被拒绝的行写到哪里（默认：文件旁的 FILE.rejects.csv）',
  'Export units, customers or dealers as CSV that imports back cleanly':
    '把设备、客户或经销商导出为可原样导回的 CSV',
  'what to export': '导出哪一类',
  'write to this file instead of standard output': '写入此文件而不是标准输出',
  'Look at registered units': '查看已登记的设备',
  'Show one unit and its sale as JSON': '以 JSON 显示一台设备及其销售记录',
  'the serial printed on the unit': '设备上印的序列号',
  'Manage users': '管理用户',
  'Create a user; prints a generated password when --password is not given':
    '创建用户；未给出 --password 时打印生成的密码',
  'e-mail address (the sign-in name)': '电子邮箱（登录名）',
  'customer, dealer, support, technician, manager, admin or integration':
    'customer、dealer、support、technician、manager、admin 或 integration',
  'display name': '显示名称',
  'organisation of a dealer user': '经销商用户所属的机构',
  'registry customer of a customer user': '客户用户在登记册中对应的客户',
  'password (at least 10 characters)': '密码（至少 10 个字符）',
  'Look at claims and take lifecycle steps': '查看申请并执行流程步骤',
  'List claims, newest first': '列出申请，最新的在前',
  'only claims in this state (new, remote-diagnosis, awaiting-info, resolved-remotely, authorized, pickup-scheduled, received, inspected, decided, quoted, quote-accepted, quote-declined, in-repair, repaired, replacing, refunded, forwarded, back-from-maker, return-shipped, delivered, closed, cancelled)':
    '只列出处于此状态的申请（new、remote-diagnosis、awaiting-info、resolved-remotely、authorized、pickup-scheduled、received、inspected、decided、quoted、quote-accepted、quote-declined、in-repair、repaired、replacing、refunded、forwarded、back-from-maker、return-shipped、delivered、closed、cancelled）',
  'only claims on this unit': '只列出这台设备的申请',
  'at most this many': '最多列出这么多条',
  'print JSON lines': '输出 JSON 行',
  'Show one claim with its history': '显示一个申请及其历史',
  'claim id': '申请编号',
  'print JSON': '输出 JSON',
  'Take a lifecycle step as a named user, with the same rules as the API':
    '以指定用户的身份执行一个流程步骤，规则与 API 相同',
  'one of start-diagnosis, record-selfcheck, decide-provisional, request-info, provide-info, resolve-remotely, authorize-return, readdress-return, schedule-pickup, receive-unit, record-inspection, make-decision, send-quote, accept-quote, decline-quote, record-payment, submit-payment-proof, start-repair, complete-repair, issue-replacement, issue-refund, forward-to-maker, return-from-maker, ship-return, confirm-receipt, close, accept-purchase-proof, refuse-purchase-proof, cancel':
    '以下之一：start-diagnosis、record-selfcheck、decide-provisional、request-info、provide-info、resolve-remotely、authorize-return、readdress-return、schedule-pickup、receive-unit、record-inspection、make-decision、send-quote、accept-quote、decline-quote、record-payment、submit-payment-proof、start-repair、complete-repair、issue-replacement、issue-refund、forward-to-maker、return-from-maker、ship-return、confirm-receipt、close、accept-purchase-proof、refuse-purchase-proof、cancel',
  'the user taking the step': '执行此步骤的用户',
  "the step's details as JSON, as the API takes them": '此步骤的内容，JSON 格式，与 API 接受的相同',
  'Check the tamper-evident history of claims': '检查申请的防篡改历史',
  'Verify the hash chain of one claim, or of every claim; reports the first broken link (exit 1)':
    '校验一个或全部申请的哈希链；报告第一个断开的环节（退出码 1）',
  'claim id; all claims when omitted': '申请编号；省略时校验全部申请',
  'print the reports as JSON lines': '以 JSON 行输出报告',
  'Service-level clocks': '服务时限计时',
  'Warn on clocks at 75 % of their time and mark breaches, once each; notifies through the outbox':
    '计时用去 75% 时发出预警并标记超时，各一次；通过发件箱通知',
  'Outgoing e-mail and webhooks': '外发邮件与网络钩子',
  'Send the e-mails and webhooks that are due, with the same leases and retries as the server':
    '发送到期的邮件和网络钩子，租约与重试方式与服务器相同',
  'Decide past claims of a policy with a draft version of it and show what would change (coverage, basis, remedies, payers, exclusions, clauses, cost)':
    '用政策的草稿版本重新判定过往申请，并显示会有哪些变化（保修、依据、处理方式、承担方、除外情形、条款、费用）',
  'the draft policy file (YAML); its id names the policy': '政策草稿文件（YAML）；其编号指明所属政策',
  'first day of claim creation to include, YYYY-MM-DD': '纳入的申请创建日期的第一天，YYYY-MM-DD',
  'last day of claim creation to include, YYYY-MM-DD': '纳入的申请创建日期的最后一天，YYYY-MM-DD',
  'how many changed claims to list (all are counted)': '列出多少个有变化的申请（全部计入统计）',
  "what if the warranty term were this ISO 8601 duration, e.g. P3Y (default: the draft's coverage term when it changes it)":
    '假如保修期为此 ISO 8601 时长，例如 P3Y（默认：草稿改变保修期时取草稿的保修期）',
  'print the whole result as JSON': '以 JSON 输出完整结果',
  'Field reliability of a model: Weibull and lognormal fits, survival, early warnings and warranty forecasts':
    '某型号的现场可靠性：威布尔与对数正态拟合、存活率、早期预警和保修预测',
  'catalogue name (matched as imports match it) or model id': '目录中的名称（按导入时的方式匹配）或型号编号',
  'only this production batch': '只看此生产批次',
  "analysis date, YYYY-MM-DD (default today in the zone of the model's policies)":
    '分析日期，YYYY-MM-DD（默认为该型号所用政策时区的今天）',
  "analysis date, YYYY-MM-DD (default each model's today in the zone of its policies)":
    '分析日期，YYYY-MM-DD（默认为每个型号按其政策时区的今天）',
  'what if the warranty term were this ISO 8601 duration, e.g. P3Y': '假如保修期为此 ISO 8601 时长，例如 P3Y',
  'print the whole report as one JSON object': '以一个 JSON 对象输出完整报告',
  'Run the monthly early-warning check on every model; each new warning is recorded once, sent as a reliability.warning event and e-mailed to the managers once':
    '对每个型号运行每月早期预警检查；每条新预警记录一次，以 reliability.warning 事件发出，并给经理发送一次邮件',
  'Recovery claims: what makers and suppliers owe for service work':
    '追偿单：厂商和供应商应为售后服务支付的费用',
  'List recovery claims, newest first': '列出追偿单，最新的在前',
  'only those where this organisation is creditor or debtor': '只列出此机构作为债权方或债务方的追偿单',
  'only in this state (draft, submitted, accepted, partly-accepted, rejected, paid, written-off, closed)':
    '只列出处于此状态的追偿单（draft、submitted、accepted、partly-accepted、rejected、paid、written-off、closed）',
  'at most this many (1 to 200)': '最多列出这么多条（1 至 200）',
  'Derive recovery lines for claims whose work changed since (or for one claim); safe to repeat':
    '为工作有变化的申请（或指定的一个申请）推导追偿明细；可安全重复执行',
  'only this claim': '只处理此申请',
  'at most this many claims': '最多处理这么多个申请',
  'Owed, submitted, accepted, paid and written off per counterparty, month and currency':
    '按对方、月份和币种统计应收、已提交、已接受、已付和已核销的金额',
  'from this organisation’s side': '从此机构的角度',
  'Write the statement of a recovery claim for an outside counterparty': '为外部对方写出追偿单的对账单',
  'recovery claim id': '追偿单编号',
  'where to write it; .csv writes CSV, anything else PDF': '写到哪里；.csv 写出 CSV，其他写出 PDF',
  'en or zh': 'en 或 zh',
  'Take one step on a recovery claim as a named user (staff record an outside answer)':
    '以指定用户的身份对追偿单执行一个步骤（员工记录外部的答复）',
  'submit, accept, partly-accept, reject, record-payment, write-off, close, request-part, ship-part, receive-part':
    'submit、accept、partly-accept、reject、record-payment、write-off、close、request-part、ship-part、receive-part',
  'the step’s input as JSON': '此步骤的输入，JSON 格式',
  'Set up a new installation: the seller, its first admin (a password is generated and printed when none is given) and its policy':
    '设置新的安装：销售方、其第一位管理员（未给出密码时生成并打印密码）及其政策',
  'the seller organisation (brand or shop)': '销售方机构（品牌或店铺）',
  'e-mail address of the first admin': '第一位管理员的电子邮箱',
  'display name of the first admin': '第一位管理员的显示名称',
  'password of the first admin (at least 10 characters)': '第一位管理员的密码（至少 10 个字符）',
  'the policy its sales follow (default retailer)': '其销售适用的政策（默认 retailer）',
  'two-letter country code of the seller (default CN)': '销售方的两字母国家代码（默认 CN）',
  'contact e-mail printed on documents (default the admin e-mail)':
    '印在文件上的联系邮箱（默认管理员的邮箱）',
  'contact phone printed on documents': '印在文件上的联系电话',
  'street of the address returns are shipped to': '退货寄送地址的街道',
  'city of that address': '该地址的城市',
  'postal code of that address': '该地址的邮政编码',
  'region or state of that address': '该地址的省份或州',
  'support hours shown to customers (default "Mon–Fri 09:00–18:00")':
    '向客户显示的服务时间（默认"周一至周五 09:00–18:00"）',
  'bank for transfers': '转账的开户银行',
  'account holder for transfers': '转账的账户名',
  'account number or IBAN for transfers': '转账的账号或 IBAN',
  'SWIFT/BIC code of the bank': '银行的 SWIFT/BIC 代码',
  'a payment page; {claim} in it becomes the claim number': '付款页面；其中的 {claim} 会替换为申请编号',
  'bank-transfer or payment-link (default: what was given)':
    'bank-transfer 或 payment-link（默认：按所给的信息）',
  'terms printed on quotes and repair orders': '印在报价单和维修单上的条款',
  'the same terms in Chinese, printed on Chinese documents': '同一条款的中文版，印在中文文件上',
  'days a quote stays open (default 14)': '报价的有效天数（默认 14）',
  "Show or change the seller's settings": '查看或修改销售方的设置',
  'Print the settings as JSON': '以 JSON 输出设置',
  'the seller organisation (default the one set up first)': '销售方机构（默认最先设置的那个）',
  'Change support hours, payment instructions, terms or quote validity':
    '修改服务时间、付款说明、条款或报价有效期',
  'display help for command': '显示命令帮助',
}
