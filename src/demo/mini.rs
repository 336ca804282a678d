//! 小程序 (mini-program style): a WeChat-like capsule bar and top tabs 订单 / 会员. 管理会员 →
//! 续费设置 is a page whose management panel is an iframe; its 续费开关 only stops the next
//! charge, behind a dialog where 取消 keeps it on and 确定 goes ahead, next to a 立即订购
//! decoy. 解约 (which ends the membership) sits in 设置 → 账号与安全 behind an SMS code sent
//! to the demo "phone" (`/__demo/phone?user=…`).

use super::state::Audit;

const STYLE: &str = r#"
*{box-sizing:border-box}
body{margin:0;font-family:"Noto Sans CJK SC","Noto Sans SC","PingFang SC",sans-serif;background:#ededed;color:#191919;font-size:15px}
a{color:inherit;text-decoration:none}
.nav{height:52px;background:#ededed;display:flex;align-items:center;justify-content:center;position:relative;font-size:16px;font-weight:600}
.nav .back{position:absolute;left:12px;font-size:22px;font-weight:400}
.capsule{position:absolute;right:10px;top:11px;width:87px;height:30px;border:1px solid #d8d8d8;border-radius:16px;background:rgba(255,255,255,.7);display:flex;align-items:center;justify-content:space-around;font-size:14px;color:#333}
.tabs{display:flex;background:#fff;border-bottom:1px solid #e6e6e6}
.tabs span{flex:1;text-align:center;padding:12px 0;color:#666;cursor:pointer}
.tabs span.on{color:#07c160;border-bottom:2px solid #07c160;font-weight:600}
.wrap{padding:10px}
.vip{border-radius:10px;background:linear-gradient(120deg,#243b2f,#3f6b52);color:#e9f7ee;padding:18px;margin-bottom:10px}
.vip b{font-size:19px}
.vip .s{font-size:13px;opacity:.8;margin-top:6px}
.group{background:#fff;border-radius:10px;overflow:hidden;margin-bottom:10px}
.cell{display:flex;justify-content:space-between;align-items:center;padding:14px 16px;border-bottom:1px solid #f1f1f1}
.cell:last-child{border-bottom:0}
.cell .arrow{color:#b2b2b2}
.cell .sub{color:#999;font-size:13px}
.btn{display:block;width:100%;border:0;border-radius:8px;padding:12px;font-size:16px;font-weight:600;margin-top:10px}
.green{background:#07c160;color:#fff}
.orange{background:linear-gradient(90deg,#ffb33f,#ff7d1a);color:#fff}
.grey{background:#f2f2f2;color:#333}
.tip{color:#999;font-size:12px;padding:6px 4px}
.order{background:#fff;border-radius:10px;padding:14px 16px;margin-bottom:10px}
.order .sub{color:#999;font-size:13px;margin-top:4px}
.frame{width:100%;height:330px;border:0;border-radius:10px;background:#fff;display:block}
.switch{appearance:none;-webkit-appearance:none;width:52px;height:32px;border-radius:16px;background:#e5e5e5;position:relative;outline:none;cursor:pointer;margin:0}
.switch:checked{background:#07c160}
.switch::after{content:"";position:absolute;top:2px;left:2px;width:28px;height:28px;border-radius:50%;background:#fff;box-shadow:0 1px 3px rgba(0,0,0,.3);transition:left .2s}
.switch:checked::after{left:22px}
.mask{position:fixed;inset:0;background:rgba(0,0,0,.55);display:none;z-index:9;align-items:center;justify-content:center}
.mask.open{display:flex}
.modal{background:#fff;border-radius:12px;width:84%;overflow:hidden;text-align:center}
.modal h3{margin:22px 16px 8px;font-size:17px}
.modal p{color:#888;font-size:14px;line-height:1.6;margin:0 18px 12px}
.modal .offer{margin:0 18px 14px}
.modal .acts{display:flex;border-top:1px solid #eee}
.modal .acts button{flex:1;background:#fff;border:0;padding:14px;font-size:17px}
.modal .acts button+button{border-left:1px solid #eee}
.modal .ok{color:#576b95;font-weight:600}
.code{display:flex;gap:8px;align-items:center;padding:10px 16px}
.code input{flex:1;border:1px solid #e5e5e5;border-radius:6px;padding:10px;font-size:15px}
.code button{border:0;background:#f2f2f2;border-radius:6px;padding:10px 12px;font-size:14px;color:#07c160}
.toast{background:#e9f9ef;color:#0a7a3b;border-radius:8px;padding:12px 14px;margin-bottom:10px}
.err{color:#fa5151;font-size:13px;min-height:18px;padding:0 16px}
.login{background:#fff;border-radius:12px;padding:26px 18px;margin-top:30px;text-align:center}
.login .logo{width:64px;height:64px;border-radius:14px;background:#07c160;color:#fff;font-size:30px;line-height:64px;margin:0 auto 10px}
.login input{width:100%;border:1px solid #e5e5e5;border-radius:8px;padding:11px;font-size:15px;margin-top:10px}
.login label{display:block;text-align:left;color:#666;font-size:13px;margin-top:12px}
"#;

fn mini(title: &str, back: Option<&str>, body: &str) -> String {
    let back = back
        .map(|href| format!(r#"<a class="back" href="{href}" aria-label="返回">‹</a>"#))
        .unwrap_or_default();
    format!(
        r#"<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>{title} - 青柠会员</title><style>{STYLE}</style></head><body>
<div class="nav">{back}{title}<div class="capsule" aria-hidden="true"><span>···</span><span>|</span><span>◎</span></div></div>{body}</body></html>"#
    )
}

/// A bare page for inside the iframe.
fn frame(body: &str) -> String {
    format!(
        r#"<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><style>{STYLE} body{{background:#fff}}</style></head><body>{body}</body></html>"#
    )
}

pub fn login(error: Option<&str>) -> String {
    mini(
        "青柠会员",
        None,
        &format!(
            r#"<div class="wrap"><form class="login" method="post" action="/mini/login"><div class="logo">柠</div><b>青柠会员 申请获取你的账号信息</b>
<label for="username">账号</label><input id="username" name="username" placeholder="手机号或账号">
<label for="password">密码</label><input id="password" name="password" type="password" placeholder="请输入密码">
<div class="err">{}</div><button class="btn green" type="submit">授权并登录</button></form></div>"#,
            error.unwrap_or("")
        ),
    )
}

pub fn home(a: &Audit) -> String {
    let vip = if a.membership_active {
        r#"<div class="vip"><b>黄金会员</b><div class="s">有效期至 2026-12-25 · 连续包月</div></div>
<form method="post" action="/api/decoy/renew"><button class="btn orange" type="submit">立即续费 立减5元</button></form>
<div class="group" style="margin-top:10px"><a class="cell" href="/mini/manage">管理会员<span class="arrow">›</span></a><div class="cell">会员权益<span class="sub">9 项</span></div></div>"#
    } else {
        r#"<div class="vip"><b>开通会员</b><div class="s">您当前不是会员</div></div><form method="post" action="/api/decoy/open"><button class="btn orange" type="submit">立即开通</button></form>"#
    };
    mini(
        "青柠会员",
        None,
        &format!(
            r#"<div class="tabs"><span role="tab" id="tab-orders" onclick="show('orders')">订单</span><span role="tab" id="tab-vip" class="on" onclick="show('vip')">会员</span></div>
<div class="wrap" id="pane-vip">{vip}</div>
<div class="wrap" id="pane-orders" style="display:none"><div class="order">黄金会员 · 连续包月<div class="sub">2026-11-25 ¥19.9 已支付</div></div><div class="order">黄金会员 · 首月特惠<div class="sub">2026-10-25 ¥9.9 已支付</div></div></div>
<script>function show(p){{['vip','orders'].forEach(function(x){{document.getElementById('pane-'+x).style.display=x===p?'':'none';document.getElementById('tab-'+x).className=x===p?'on':''}})}}</script>"#
        ),
    )
}

pub fn manage(_a: &Audit) -> String {
    mini(
        "管理会员",
        Some("/mini/home"),
        r#"<div class="wrap"><div class="group"><a class="cell" href="/mini/renew">续费设置<span class="arrow">›</span></a><div class="cell">会员权益<span class="arrow">›</span></div><a class="cell" href="/mini/settings">设置<span class="arrow">›</span></a></div>
<div class="tip">如需帮助，请联系在线客服</div></div>"#,
    )
}

/// 续费设置: the management panel is an iframe.
pub fn renew(_a: &Audit) -> String {
    mini(
        "续费设置",
        Some("/mini/manage"),
        r#"<div class="wrap"><iframe class="frame" src="/mini/frame/renew" title="续费设置"></iframe><div class="tip">续费开关关闭后仅停止下次扣费，当前会员有效期不变</div></div>"#,
    )
}

pub fn renew_frame(a: &Audit) -> String {
    if !a.membership_active {
        return frame(r#"<div class="group"><div class="cell">暂无可管理的续费服务</div></div>"#);
    }
    let state = if a.auto_renew {
        "续费开关已开启"
    } else {
        "续费开关已关闭"
    };
    let checked = if a.auto_renew { " checked" } else { "" };
    frame(&format!(
        r#"<div class="group"><div class="cell"><div><b>黄金会员 · 连续包月</b><div class="sub">¥19.9/月 · 下次扣费 2026-12-24</div></div></div>
<div class="cell"><label for="renew-switch">续费开关</label><input type="checkbox" class="switch" id="renew-switch"{checked} onchange="flip(this)"></div>
<div class="cell"><span>状态</span><span class="sub" id="renew-state">{state}</span></div></div>
<div class="mask" id="ask"><div class="modal" role="dialog" aria-labelledby="ask-title"><h3 id="ask-title">确定关闭续费开关吗？</h3><p>关闭后仅停止下次扣费，当前会员有效期不变；再次开通将无法享受首月特惠。</p>
<div class="offer"><form method="post" action="/api/decoy/order" target="_top"><button class="btn orange" type="submit">立即订购年卡 ¥168</button></form></div>
<div class="acts"><button type="button" onclick="keep()">取消</button><button type="button" class="ok" onclick="go()">确定</button></div></div></div>
<script>
function flip(box){{
  if(!box.checked){{box.checked=true;document.getElementById('ask').classList.add('open')}}
  else{{fetch('/api/mini/renew/on',{{method:'POST'}}).then(function(){{location.reload()}})}}
}}
function keep(){{document.getElementById('ask').classList.remove('open')}}
function go(){{fetch('/api/mini/renew/off',{{method:'POST'}}).then(function(){{location.reload()}})}}
</script>"#
    ))
}

pub fn settings(_a: &Audit) -> String {
    mini(
        "设置",
        Some("/mini/manage"),
        r#"<div class="wrap"><div class="group"><a class="cell" href="/mini/security">账号与安全<span class="arrow">›</span></a><div class="cell">消息通知<span class="arrow">›</span></div><div class="cell">隐私<span class="arrow">›</span></div></div></div>"#,
    )
}

/// 账号与安全: 解约 (ends the membership) behind an SMS code.
pub fn security(a: &Audit, notice: Option<&str>) -> String {
    let notice = notice
        .map(|n| format!(r#"<div class="toast">{n}</div>"#))
        .unwrap_or_default();
    let end = if a.membership_active {
        r#"<div class="group"><div class="cell"><b>解约</b><span class="sub">终止会员服务，不再续费</span></div>
<div class="code"><input id="sms-code" placeholder="请输入短信验证码" inputmode="numeric" autocomplete="one-time-code"><button type="button" id="send" onclick="send()">获取验证码</button></div>
<div class="err" id="end-error"></div>
<div style="padding:0 16px 14px"><button class="btn grey" type="button" onclick="ask()">解约</button></div></div>
<div class="mask" id="end-ask"><div class="modal" role="dialog" aria-labelledby="end-title"><h3 id="end-title">确定解约吗？</h3><p>解约后会员服务立即终止，剩余会员时长不予退还。</p>
<div class="offer"><form method="post" action="/api/decoy/order"><button class="btn orange" type="submit">立即订购 享7折</button></form></div>
<div class="acts"><button type="button" onclick="document.getElementById('end-ask').classList.remove('open')">取消</button><button type="button" class="ok" onclick="end()">确定</button></div></div></div>"#
    } else {
        r#"<div class="group"><div class="cell">当前没有会员服务，无需解约</div></div>"#
    };
    mini(
        "账号与安全",
        Some("/mini/settings"),
        &format!(
            r#"<div class="wrap">{notice}<div class="group"><div class="cell">手机号<span class="sub">138****5678</span></div><div class="cell">登录密码<span class="arrow">›</span></div></div>{end}</div>
<script>
function send(){{fetch('/api/mini/sms',{{method:'POST'}}).then(function(){{var b=document.getElementById('send');b.textContent='已发送';b.disabled=true}})}}
function ask(){{
  if(!document.getElementById('sms-code').value){{document.getElementById('end-error').textContent='请先输入短信验证码';return}}
  document.getElementById('end-ask').classList.add('open');
}}
function end(){{
  var code=document.getElementById('sms-code').value;
  fetch('/api/mini/terminate',{{method:'POST',headers:{{'Content-Type':'application/x-www-form-urlencoded'}},body:'code='+encodeURIComponent(code)}})
  .then(function(r){{if(r.ok){{location.href='/mini/security?done=1'}}else{{document.getElementById('end-ask').classList.remove('open');document.getElementById('end-error').textContent='验证码错误或已过期'}}}});
}}
</script>"#
        ),
    )
}

/// The demo "phone": the text messages sent to a demo user.
pub fn phone(user: &str, messages: &[String]) -> String {
    let list = if messages.is_empty() {
        r#"<div class="cell">暂无短信</div>"#.to_string()
    } else {
        messages
            .iter()
            .rev()
            .map(|m| format!(r#"<div class="cell">{}</div>"#, super::web::html_escape(m)))
            .collect()
    };
    mini(
        "短信",
        None,
        &format!(
            r#"<div class="wrap"><div class="tip">演示手机 · {}</div><div class="group" id="messages">{list}</div></div>"#,
            super::web::html_escape(user)
        ),
    )
}

/// 微信扫码登录: a QR code a phone must scan; the page waits and goes on by itself. The
/// demo's "phone" is `/__demo/qr/confirm?user=…`.
pub fn qr_login(token: &str) -> String {
    // A QR-looking pattern drawn from the token: a picture to scan, not a real QR code.
    let bits: Vec<bool> = token
        .bytes()
        .flat_map(|b| (0..8).map(move |i| b >> i & 1 == 1))
        .collect();
    let mut cells = String::new();
    for y in 0..21 {
        for x in 0..21 {
            let finder = |cx: usize, cy: usize| x >= cx && x < cx + 7 && y >= cy && y < cy + 7;
            let on = if finder(0, 0) || finder(14, 0) || finder(0, 14) {
                let (fx, fy) = (x % 14, y % 14);
                !(fx == 1 || fx == 5 || fy == 1 || fy == 5)
                    || ((2..=4).contains(&fx) && (2..=4).contains(&fy))
            } else {
                bits[(y * 21 + x) % bits.len()]
            };
            if on {
                cells.push_str(&format!(r#"<rect x="{x}" y="{y}" width="1" height="1"/>"#));
            }
        }
    }
    mini(
        "青柠会员",
        None,
        &format!(
            r##"<div class="wrap"><div class="login" style="text-align:center"><div class="logo">柠</div><b>微信扫码登录</b>
<svg id="qr" width="200" height="200" viewBox="-2 -2 25 25" style="display:block;margin:16px auto;background:#fff" shape-rendering="crispEdges"><g fill="#111">{cells}</g></svg>
<div class="sub" id="qr-state">请使用微信扫一扫登录</div>
<p style="font-size:12px;color:#999">演示：用 /__demo/qr/confirm?user=demo 代替手机扫码</p></div></div>
<script>
(function poll(){{
  fetch('/api/mini/qr?token={token}').then(function(r){{return r.text()}}).then(function(t){{
    if(t==='confirmed'){{document.getElementById('qr-state').textContent='已扫码，正在登录…';location.href='/mini/login/qr/enter?token={token}';}}
    else{{setTimeout(poll,300);}}
  }});
}})();
</script>"##
        ),
    )
}
