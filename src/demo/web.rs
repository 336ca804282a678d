//! 网页端: a desktop card platform (卡盟) with the article's traps — a hover menu, the cancel
//! entry three levels down as a small grey link, loud 立即续费 / 升级 buttons, 申请退款 right
//! next to 取消自动续费, and a confirm window with an acknowledgement box and a password.
//! Its password fields mirror what is typed into their `value` attribute, as controlled
//! inputs of common front-end frameworks do: a DOM snapshot must remove it.

use super::state::Audit;

const STYLE: &str = r#"
*{box-sizing:border-box}
body{margin:0;font-family:"Noto Sans CJK SC","Noto Sans SC","PingFang SC","Microsoft YaHei",sans-serif;background:#f4f5f7;color:#222;font-size:14px}
a{color:inherit;text-decoration:none}
.top{background:#1f2430;color:#aab;font-size:12px;padding:6px 0}
.top .wrap{display:flex;justify-content:space-between}
.wrap{width:1100px;margin:0 auto}
header{background:#fff;border-bottom:3px solid #e8380d}
header .wrap{display:flex;align-items:center;height:68px;gap:28px}
.logo{font-size:24px;font-weight:700;color:#e8380d;letter-spacing:2px}
.logo small{font-size:12px;color:#999;font-weight:400;margin-left:6px;letter-spacing:0}
nav{display:flex;gap:4px;flex:1}
nav>a,nav .menu>a{display:block;padding:0 16px;line-height:68px;font-size:15px}
nav>a:hover,nav .menu:hover>a{color:#e8380d}
.menu{position:relative}
.menu .drop{display:none;position:absolute;top:68px;left:0;background:#fff;min-width:150px;box-shadow:0 6px 18px rgba(0,0,0,.12);z-index:5;border-top:2px solid #e8380d}
.menu:hover .drop{display:block}
.drop a{display:block;padding:10px 18px;color:#444}
.drop a:hover{background:#fff3ef;color:#e8380d}
.user{font-size:13px;color:#666}
.vip{background:linear-gradient(90deg,#f7d48b,#e9b352);color:#6b3d00;border-radius:10px;padding:2px 8px;font-size:12px;margin-left:6px}
main.wrap{display:flex;gap:20px;margin-top:20px}
aside{width:200px;background:#fff;border-radius:6px;padding:10px 0;align-self:flex-start}
aside a{display:block;padding:11px 24px;color:#555}
aside a.on{color:#e8380d;background:#fff3ef;border-left:3px solid #e8380d}
section.panel{flex:1;background:#fff;border-radius:6px;padding:24px 28px;min-height:420px}
h1{font-size:20px;margin:0 0 18px}
.card{background:linear-gradient(120deg,#2b2f3a,#4a3f2c);color:#f5d9a0;border-radius:10px;padding:24px 28px;display:flex;justify-content:space-between;align-items:center}
.card .big{font-size:26px;font-weight:700}
.card .muted{color:#c8b48a;font-size:13px;margin-top:6px}
.btn{display:inline-block;border:0;border-radius:22px;padding:11px 30px;font-size:16px;font-weight:600;cursor:pointer}
.btn-hot{background:linear-gradient(90deg,#ff6a3d,#e8380d);color:#fff;box-shadow:0 4px 12px rgba(232,56,13,.35)}
.btn-gold{background:linear-gradient(90deg,#f7d48b,#e9b352);color:#6b3d00}
.btn-line{background:#fff;color:#666;border:1px solid #ccc;border-radius:4px;padding:7px 22px;font-size:14px;font-weight:400}
.btn-ok{background:#e8380d;color:#fff;border-radius:4px;padding:7px 22px;font-size:14px;font-weight:400}
.grid{display:grid;grid-template-columns:repeat(4,1fr);gap:14px;margin-top:20px}
.grid div{background:#fafafa;border:1px solid #eee;border-radius:6px;padding:16px;text-align:center;color:#666}
.grid b{display:block;color:#e8380d;font-size:18px;margin-bottom:4px}
table{width:100%;border-collapse:collapse;margin-top:8px}
th,td{text-align:left;padding:14px 12px;border-bottom:1px solid #eee}
th{background:#fafafa;color:#888;font-weight:400}
td .ops a{color:#2a6ad8;margin-right:14px}
.row{display:flex;justify-content:space-between;align-items:center;padding:16px 0;border-bottom:1px dashed #e5e5e5}
.row .label{color:#888;width:110px}
.row .val{flex:1}
.tiny{font-size:12px;color:#aaa}
.tiny a{color:#aaa;margin-left:10px}
.tiny a:hover{color:#888}
.state-on{color:#1a9d4b}
.state-off{color:#999}
.promo{margin-top:22px;background:#fff7e8;border:1px solid #fde2b3;border-radius:6px;padding:16px 20px;display:flex;justify-content:space-between;align-items:center;color:#8a5a00}
.mask{position:fixed;inset:0;background:rgba(0,0,0,.45);display:none;align-items:center;justify-content:center;z-index:10}
.mask.open{display:flex}
.dialog{background:#fff;border-radius:8px;width:440px;padding:26px 28px}
.dialog h2{font-size:18px;margin:0 0 12px}
.dialog p{color:#666;line-height:1.7;margin:0 0 14px}
.dialog label{display:block;margin:10px 0;color:#444}
.dialog input[type=password]{width:100%;padding:9px 10px;border:1px solid #ccc;border-radius:4px;margin-top:6px;font-size:14px}
.dialog .actions{display:flex;justify-content:flex-end;gap:12px;margin-top:18px}
.err{color:#e8380d;min-height:20px;font-size:13px}
.toast{background:#eaf8ef;border:1px solid #b7e4c7;color:#1a7a3d;border-radius:6px;padding:12px 16px;margin-bottom:16px}
.login{width:380px;margin:70px auto;background:#fff;border-radius:8px;padding:34px 36px;box-shadow:0 8px 30px rgba(0,0,0,.06)}
.login h1{text-align:center}
.login label{display:block;color:#555;margin-top:14px}
.login input{width:100%;padding:10px 12px;margin-top:6px;border:1px solid #d5d5d5;border-radius:4px;font-size:14px}
.login .btn{width:100%;margin-top:22px;border-radius:4px}
.login .alt{display:flex;justify-content:space-between;margin-top:16px;font-size:13px;color:#2a6ad8}
footer{text-align:center;color:#aaa;font-size:12px;margin:30px 0}
"#;

fn page(title: &str, user: Option<&Audit>, body: &str) -> String {
    let user_box = match user {
        Some(a) => {
            let vip = if a.membership_active {
                r#"<span class="vip">VIP会员</span>"#
            } else {
                ""
            };
            format!(
                r#"<span class="user">您好，{}{vip} · <a href="/logout">退出登录</a></span>"#,
                html_escape(&a.user)
            )
        }
        None => r#"<a class="user" href="/login">登录</a>"#.to_string(),
    };
    format!(
        r#"<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>{title} - 云途卡盟</title><style>{STYLE}</style></head><body>
<div class="top"><div class="wrap"><span>云途卡盟 · 游戏点卡 / 视频会员 / 话费充值 一站式供货平台</span><span>客服热线 400-800-1234</span></div></div>
<header><div class="wrap"><a class="logo" href="/home">云途卡盟<small>YUNTU CARD</small></a>
<nav><a href="/home">首页</a><a href="/home#goods">商品分类</a><a href="/home#topup">充值中心</a>
<div class="menu"><a id="nav-member" href="/member">会员中心 ▾</a><div class="drop"><a href="/member">我的权益</a><a href="/member/current">当前会员</a><a href="/member/orders">订单记录</a></div></div>
<a href="/help">帮助中心</a></nav>{user_box}</div></header>
{body}
<footer>© 2026 云途卡盟（演示平台）· 本站为 jieyue 演示用途，不产生任何真实交易</footer>
</body></html>"#
    )
}

fn member_nav(active: &str) -> String {
    let mut out = String::from("<aside>");
    for (href, label) in [
        ("/member", "我的权益"),
        ("/member/current", "当前会员"),
        ("/member/orders", "订单记录"),
        ("/help", "帮助中心"),
    ] {
        let class = if label == active { " class=\"on\"" } else { "" };
        out.push_str(&format!(r#"<a href="{href}"{class}>{label}</a>"#));
    }
    out.push_str("</aside>");
    out
}

pub fn login(error: Option<&str>) -> String {
    let error = error
        .map(|e| format!(r#"<div class="err">{e}</div>"#))
        .unwrap_or_default();
    page(
        "登录",
        None,
        &format!(
            r#"<div class="login"><h1>账号登录</h1>{error}
<form method="post" action="/login">
<label for="username">账号</label><input id="username" name="username" placeholder="手机号 / 用户名" autocomplete="username">
<label for="password">密码</label><input id="password" name="password" type="password" placeholder="请输入密码" autocomplete="current-password" oninput="this.setAttribute('value',this.value)">
<button class="btn btn-hot" type="submit">登录</button></form>
<div class="alt"><a href="/login?wx=1">微信授权登录</a><a href="/login?forgot=1">忘记密码？</a></div></div>"#
        ),
    )
}

pub fn home(a: &Audit) -> String {
    let status = if a.membership_active {
        "黄金会员 · 已开通"
    } else {
        "尚未开通会员"
    };
    page(
        "首页",
        Some(a),
        &format!(
            r#"<main class="wrap"><section class="panel"><div class="card"><div><div class="big">开通年费会员 立享 8.5 折</div><div class="muted">{status} · 会员专属折扣、优先发货、专属客服</div></div>
<form method="post" action="/api/decoy/open"><button class="btn btn-hot" type="submit">立即开通</button></form></div>
<div class="grid" id="goods"><div><b>¥9.6</b>腾讯视频月卡</div><div><b>¥48.5</b>网易一卡通 50 元</div><div><b>¥29.1</b>爱奇艺黄金月卡</div><div><b>¥97.0</b>话费充值 100 元</div></div>
</section></main>"#
        ),
    )
}

pub fn member(a: &Audit) -> String {
    let body = if a.membership_active {
        r#"<div class="card"><div><div class="big">黄金会员 · 已开通</div><div class="muted">剩余天数 30 天 · 到期日 2026-12-25 · 连续包月 ¥19.9/月</div></div>
<div><form method="post" action="/api/decoy/renew" style="display:inline"><button class="btn btn-hot" type="submit">立即续费</button></form>
<form method="post" action="/api/decoy/upgrade" style="display:inline;margin-left:10px"><button class="btn btn-gold" type="submit">升级</button></form></div></div>
<div class="grid"><div><b>8.5折</b>会员专属价</div><div><b>优先</b>极速发货</div><div><b>1对1</b>专属客服</div><div><b>12张</b>每月优惠券</div></div>
<div class="promo"><span>续费 3 个月立减 ¥10，限时优惠仅剩 2 天</span><form method="post" action="/api/decoy/renew3"><button class="btn btn-hot" type="submit">续费3个月</button></form></div>"#
            .to_string()
    } else {
        r#"<div class="card"><div><div class="big">尚未开通会员</div><div class="muted">开通后享受会员专属折扣</div></div><form method="post" action="/api/decoy/open"><button class="btn btn-hot" type="submit">立即开通</button></form></div>"#.to_string()
    };
    page(
        "会员中心",
        Some(a),
        &format!(
            r#"<main class="wrap">{}<section class="panel"><h1>我的权益</h1>{body}</section></main>"#,
            member_nav("我的权益")
        ),
    )
}

pub fn current(a: &Audit) -> String {
    let rows = if a.membership_active {
        r#"<tr><td>黄金会员（连续包月）</td><td>2026-11-25</td><td>2026-12-25</td><td class="ops"><a href="/member/service">服务详情</a><a href="/member/plans">修改套餐</a></td></tr>"#
    } else {
        r#"<tr><td colspan="4" style="color:#999;text-align:center">暂无生效中的会员服务</td></tr>"#
    };
    page(
        "当前会员",
        Some(a),
        &format!(
            r#"<main class="wrap">{}<section class="panel"><h1>当前会员</h1><table><tr><th>会员类型</th><th>开通时间</th><th>到期时间</th><th>操作</th></tr>{rows}</table></section></main>"#,
            member_nav("当前会员")
        ),
    )
}

const TERMS: [&str; 10] = [
    "会员服务自开通之日起生效，有效期以页面显示为准。",
    "会员权益包括商品折扣、优先发货与专属客服，具体以权益页面为准。",
    "连续包月会员将在每个计费周期结束前一日扣款，扣款金额以开通时页面显示为准。",
    "平台会在扣款前通过站内信提醒您，请留意消息中心。",
    "会员权益仅限本账号使用，不得转让、出借或用于商业用途。",
    "因不可抗力导致服务中断的，平台将顺延相应的会员时长。",
    "您可以在“会员中心 → 当前会员 → 服务详情”中查看与管理您的续费设置。",
    "如对扣款有疑问，请通过帮助中心联系在线客服，客服将在 24 小时内答复。",
    "本协议的解释与适用以中华人民共和国法律为准。",
    "本页面为 jieyue 演示平台的一部分，不产生任何真实交易。",
];

fn history_line(what: &str) -> &str {
    match what {
        "auto_renew_off" => "自动续费已关闭",
        "auto_renew_on" => "自动续费已开启",
        "membership_end" => "会员已解约",
        "refund_request" => "已提交退款申请",
        _ => "设置已更改",
    }
}

pub fn service(a: &Audit, notice: Option<&str>) -> String {
    let notice = notice
        .map(|n| format!(r#"<div class="toast">{n}</div>"#))
        .unwrap_or_default();
    if !a.membership_active {
        return page(
            "服务详情",
            Some(a),
            &format!(
                r#"<main class="wrap">{}<section class="panel"><h1>服务详情</h1>{notice}<p style="color:#999">您当前没有开通会员服务，无需取消。</p></section></main>"#,
                member_nav("当前会员")
            ),
        );
    }
    let renew = if a.auto_renew {
        r#"<span class="state-on" id="renew-state">自动续费：开启</span><span class="tiny"><a href="javascript:void(0)" id="cancel-renew" onclick="openCancel()">取消自动续费</a><a href="javascript:void(0)" onclick="document.getElementById('refund-form').submit()">申请退款</a><a href="javascript:void(0)" onclick="openEnd()">立即解约</a></span>"#
    } else {
        r#"<span class="state-off" id="renew-state">自动续费：已关闭</span><span class="tiny"><form method="post" action="/api/autorenew/on" style="display:inline"><a href="javascript:void(0)" onclick="this.parentNode.submit()">开启自动续费</a></form></span>"#
    };
    // Like many platforms, the record of a change sits at the foot of a long page, below
    // the service terms: only a full-page capture shows it.
    let terms = format!(
        r#"<div class="terms" style="margin-top:28px;color:#666;font-size:13px"><h2>会员服务协议（摘要）</h2>{}</div>"#,
        TERMS
            .iter()
            .enumerate()
            .map(|(i, t)| format!("<p>{}. {t}</p>", i + 1))
            .collect::<String>()
    );
    let history = if a.mutations.is_empty() {
        String::new()
    } else {
        format!(
            r#"<div id="history" style="margin-top:24px"><h2>操作记录</h2>{}</div>"#,
            a.mutations
                .iter()
                .map(|m| format!("<p>{} · 编号 JY{:08}</p>", history_line(&m.what), m.at_ms))
                .collect::<String>()
        )
    };
    page(
        "服务详情",
        Some(a),
        &format!(
            r#"<main class="wrap">{nav}<section class="panel"><h1>服务详情</h1>{notice}
<div class="row"><span class="label">会员类型</span><span class="val">黄金会员（连续包月）</span><form method="post" action="/api/decoy/renew"><button class="btn btn-hot" type="submit">立即续费</button></form></div>
<div class="row"><span class="label">有效期至</span><span class="val">2026-12-25（剩余 30 天）</span></div>
<div class="row"><span class="label">续费价格</span><span class="val">¥19.9 / 月，到期前 1 天自动扣款</span></div>
<div class="row"><span class="label">续费设置</span><span class="val">{renew}</span></div>
<form id="refund-form" method="post" action="/api/refund"></form>
<div class="promo"><span>30天无条件退款 · 不满意可申请退款</span><form method="post" action="/api/decoy/upgrade"><button class="btn btn-gold" type="submit">升级为年费会员</button></form></div>
{terms}{history}</section></main>
<div class="mask" id="cancel-dialog" role="dialog" aria-modal="true" aria-labelledby="cancel-title"><div class="dialog">
<h2 id="cancel-title">确认要关闭自动续费吗？</h2>
<p>取消后将不再享受会员折扣且剩余会员时长不予退还。</p>
<label><input type="checkbox" id="ack"> 我已了解相关说明</label>
<label for="confirm-password">登录密码<input type="password" id="confirm-password" placeholder="请输入登录密码" oninput="this.setAttribute('value',this.value)"></label>
<div class="err" id="cancel-error"></div>
<div class="actions"><button class="btn btn-line" type="button" onclick="closeCancel()">取消</button><button class="btn btn-ok" type="button" onclick="submitCancel()">确定</button></div>
</div></div>
<div class="mask" id="end-dialog" role="dialog" aria-modal="true" aria-labelledby="end-title"><div class="dialog">
<h2 id="end-title">确认要立即解约吗？</h2>
<p>解约后会员权益立即失效，剩余 30 天会员时长不予退还，且无法恢复。</p>
<label for="end-password">登录密码<input type="password" id="end-password" placeholder="请输入登录密码"></label>
<div class="err" id="end-error"></div>
<div class="actions"><button class="btn btn-line" type="button" onclick="document.getElementById('end-dialog').classList.remove('open')">取消</button><button class="btn btn-ok" type="button" onclick="submitEnd()">确定解约</button></div>
</div></div>
<script>
function openEnd(){{document.getElementById('end-dialog').classList.add('open')}}
function submitEnd(){{
  var pw=document.getElementById('end-password').value;
  fetch('/api/membership/end',{{method:'POST',headers:{{'Content-Type':'application/x-www-form-urlencoded'}},body:'password='+encodeURIComponent(pw)}})
  .then(function(r){{if(r.ok){{location.href='/member/service?ended=1'}}else{{document.getElementById('end-error').textContent='密码错误，请重新输入'}}}});
}}
function openCancel(){{document.getElementById('cancel-dialog').classList.add('open')}}
function closeCancel(){{document.getElementById('cancel-dialog').classList.remove('open')}}
function submitCancel(){{
  var err=document.getElementById('cancel-error');
  if(!document.getElementById('ack').checked){{err.textContent='请先勾选“我已了解相关说明”';return}}
  var pw=document.getElementById('confirm-password').value;
  fetch('/api/autorenew/off',{{method:'POST',headers:{{'Content-Type':'application/x-www-form-urlencoded'}},body:'password='+encodeURIComponent(pw)}})
  .then(function(r){{if(r.ok){{location.href='/member/service?done=1'}}else{{err.textContent='密码错误，请重新输入'}}}});
}}
</script>"#,
            nav = member_nav("当前会员")
        ),
    )
}

pub fn notice(a: &Audit, title: &str, text: &str) -> String {
    page(
        title,
        Some(a),
        &format!(
            r#"<main class="wrap">{}<section class="panel"><h1>{title}</h1><p>{text}</p><p><a href="/member" style="color:#2a6ad8">返回会员中心</a></p></section></main>"#,
            member_nav("")
        ),
    )
}

pub fn html_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}
