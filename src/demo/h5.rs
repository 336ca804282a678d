//! 移动端 (H5, App-style): a phone layout with a bottom tab bar. 我的 → the VIP card → 会员管理
//! (loud 立即续费 / 升级SVIP, a small grey 立即解约 behind a reason picker); auto-renew is
//! hidden in 设置 → 支付设置 → 自动续费管理, rendered by JS after a delay, as a custom switch
//! inside a shadow root, behind a retention pop-up and a confirm sheet; the state it shows
//! lags a change by a moment (the "sync delay").

use super::state::Audit;

const STYLE: &str = r#"
*{box-sizing:border-box;-webkit-tap-highlight-color:transparent}
body{margin:0;font-family:"Noto Sans CJK SC","Noto Sans SC","PingFang SC",sans-serif;background:#f2f3f5;color:#1d1d1f;font-size:15px}
a{color:inherit;text-decoration:none}
.bar{position:sticky;top:0;z-index:3;height:48px;background:#fff;display:flex;align-items:center;justify-content:center;font-size:17px;font-weight:600;border-bottom:1px solid #eee}
.bar .back{position:absolute;left:14px;font-size:22px;font-weight:400;color:#333}
.page{padding:12px 12px 80px}
.card{border-radius:14px;padding:18px;background:linear-gradient(120deg,#3a2f1d,#6b5126);color:#f8dfa6;margin-bottom:12px;display:block}
.card .t{font-size:20px;font-weight:700}
.card .s{font-size:13px;opacity:.8;margin-top:6px}
.user{display:flex;align-items:center;gap:12px;background:#fff;border-radius:14px;padding:16px;margin-bottom:12px}
.avatar{width:52px;height:52px;border-radius:50%;background:linear-gradient(135deg,#ffb199,#ff0844);color:#fff;display:flex;align-items:center;justify-content:center;font-size:22px}
.list{background:#fff;border-radius:14px;overflow:hidden;margin-bottom:12px}
.cell{display:flex;justify-content:space-between;align-items:center;padding:15px 16px;border-bottom:1px solid #f0f0f0}
.cell:last-child{border-bottom:0}
.cell .arrow{color:#c7c7cc}
.cell .sub{color:#999;font-size:13px}
.btn{display:block;width:100%;border:0;border-radius:24px;padding:13px;font-size:17px;font-weight:600;margin-top:10px}
.hot{background:linear-gradient(90deg,#ff7a45,#ff2d55);color:#fff;box-shadow:0 4px 14px rgba(255,45,85,.3)}
.gold{background:linear-gradient(90deg,#f7d48b,#e9b352);color:#5a3300}
.weak{display:block;text-align:center;color:#b5b5b5;font-size:12px;margin-top:26px}
.tabbar{position:fixed;bottom:0;left:0;right:0;height:58px;background:#fff;border-top:1px solid #e5e5e5;display:flex}
.tabbar a{flex:1;display:flex;flex-direction:column;align-items:center;justify-content:center;font-size:11px;color:#999}
.tabbar a i{font-style:normal;font-size:20px;line-height:22px}
.tabbar a.on{color:#ff2d55}
.banner{border-radius:14px;background:linear-gradient(120deg,#ff9a8b,#ff6a88);color:#fff;padding:22px 18px;margin-bottom:12px}
.grid{display:grid;grid-template-columns:repeat(4,1fr);gap:10px;background:#fff;border-radius:14px;padding:16px 8px}
.grid div{text-align:center;font-size:12px;color:#555}
.grid b{display:block;font-size:22px;margin-bottom:4px}
.hint{color:#999;font-size:12px;padding:4px 6px 10px}
.loading{text-align:center;color:#999;padding:40px 0}
.mask{position:fixed;inset:0;background:rgba(0,0,0,.5);display:none;z-index:10}
.mask.open{display:block}
.popup{position:absolute;left:28px;right:28px;top:22%;background:#fff;border-radius:16px;padding:22px 20px;text-align:center}
.popup h3{margin:0 0 10px;font-size:18px}
.popup p{color:#666;font-size:14px;line-height:1.6;margin:0 0 8px}
.sheet{position:absolute;left:0;right:0;bottom:0;background:#fff;border-radius:16px 16px 0 0;padding:20px 18px 26px}
.sheet h3{margin:0 0 10px;font-size:17px;text-align:center}
.sheet p{color:#666;font-size:14px;line-height:1.6}
.sheet .row2{display:flex;gap:12px;margin-top:14px}
.sheet .row2 button{flex:1;border-radius:22px;padding:12px;font-size:16px;border:0}
.plain{background:#f2f3f5;color:#333}
.danger{background:#ff2d55;color:#fff}
.reason{display:block;padding:12px 4px;border-bottom:1px solid #f2f2f2}
.reason input{margin-right:8px}
.toast{background:#e8f8ee;color:#137a3a;border-radius:10px;padding:12px 14px;margin-bottom:12px}
.login{background:#fff;border-radius:16px;padding:26px 20px;margin-top:30px}
.login h1{font-size:22px;margin:0 0 18px}
.login label{display:block;color:#666;font-size:14px;margin-top:14px}
.login input{width:100%;border:0;border-bottom:1px solid #e5e5e5;padding:10px 2px;font-size:16px;outline:none}
.err{color:#ff2d55;font-size:13px;min-height:18px;margin-top:8px}
"#;

/// A phone page: a title bar (with a back arrow when `back` is given) and, on the top
/// level pages, the tab bar with `tab` highlighted.
fn phone(title: &str, back: Option<&str>, tab: Option<&str>, body: &str) -> String {
    let back = back
        .map(|href| format!(r#"<a class="back" href="{href}" aria-label="返回">‹</a>"#))
        .unwrap_or_default();
    let tabbar = tab
        .map(|on| {
            let mut out = String::from(r#"<nav class="tabbar">"#);
            for (href, icon, label) in [
                ("/h5/home", "⌂", "首页"),
                ("/h5/cat", "▦", "分类"),
                ("/h5/me", "☺", "我的"),
            ] {
                let class = if label == on { r#" class="on""# } else { "" };
                out.push_str(&format!(
                    r#"<a href="{href}"{class}><i>{icon}</i>{label}</a>"#
                ));
            }
            out.push_str("</nav>");
            out
        })
        .unwrap_or_default();
    format!(
        r#"<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>{title} - 星河视频</title><style>{STYLE}</style></head><body>
<div class="bar">{back}{title}</div><div class="page">{body}</div>{tabbar}</body></html>"#
    )
}

pub fn login(error: Option<&str>) -> String {
    phone(
        "登录",
        None,
        None,
        &format!(
            r#"<form class="login" method="post" action="/h5/login"><h1>欢迎来到星河视频</h1>
<label for="username">手机号 / 账号</label><input id="username" name="username" autocomplete="username" placeholder="请输入手机号">
<label for="password">密码</label><input id="password" name="password" type="password" autocomplete="current-password" placeholder="请输入密码">
<div class="err">{}</div><button class="btn hot" type="submit">登录</button></form>"#,
            error.unwrap_or("")
        ),
    )
}

pub fn home(_a: &Audit) -> String {
    phone(
        "星河视频",
        None,
        Some("首页"),
        r#"<div class="banner"><b style="font-size:20px">开通VIP 首月 ¥6</b><div style="font-size:13px;margin-top:6px">热门大剧抢先看 · 1080P 蓝光</div></div>
<form method="post" action="/api/decoy/open"><button class="btn hot" type="submit">立即开通</button></form>
<div class="grid" style="margin-top:12px"><div><b>🎬</b>电影</div><div><b>📺</b>电视剧</div><div><b>🎤</b>综艺</div><div><b>🐼</b>动漫</div></div>"#,
    )
}

pub fn category(_a: &Audit) -> String {
    phone(
        "分类",
        None,
        Some("分类"),
        r#"<div class="list"><div class="cell">电影<span class="arrow">›</span></div><div class="cell">电视剧<span class="arrow">›</span></div><div class="cell">综艺<span class="arrow">›</span></div><div class="cell">纪录片<span class="arrow">›</span></div></div>"#,
    )
}

pub fn me(a: &Audit) -> String {
    let card = if a.membership_active {
        r#"<a class="card" href="/h5/vip"><div class="t">VIP会员·剩余30天</div><div class="s">黄金会员 · 2026-12-25 到期</div></a>"#
    } else {
        r#"<a class="card" href="/h5/vip"><div class="t">开通VIP会员</div><div class="s">您还不是会员</div></a>"#
    };
    phone(
        "我的",
        None,
        Some("我的"),
        &format!(
            r#"<div class="user"><div class="avatar">星</div><div><b>{user}</b><div class="sub" style="color:#999;font-size:13px">ID 20261125</div></div></div>{card}
<div class="list"><div class="cell">观看历史<span class="arrow">›</span></div><div class="cell">我的下载<span class="arrow">›</span></div><a class="cell" href="/h5/settings">设置<span class="arrow">›</span></a></div>"#,
            user = super::web::html_escape(&a.user)
        ),
    )
}

pub fn vip(a: &Audit, notice: Option<&str>) -> String {
    let notice = notice
        .map(|n| format!(r#"<div class="toast">{n}</div>"#))
        .unwrap_or_default();
    if !a.membership_active {
        return phone(
            "会员管理",
            Some("/h5/me"),
            None,
            &format!(
                r#"{notice}<div class="card"><div class="t">您还不是会员</div><div class="s">开通后享受免广告、蓝光画质</div></div><form method="post" action="/api/decoy/open"><button class="btn hot" type="submit">立即开通</button></form>"#
            ),
        );
    }
    phone(
        "会员管理",
        Some("/h5/me"),
        None,
        &format!(
            r#"{notice}<div class="card"><div class="t">黄金会员</div><div class="s">剩余30天 · 2026-12-25 到期</div></div>
<form method="post" action="/api/decoy/renew"><button class="btn hot" type="submit">立即续费 ¥19.9</button></form>
<form method="post" action="/api/decoy/upgrade"><button class="btn gold" type="submit">升级SVIP 享4K</button></form>
<div class="list" style="margin-top:14px"><div class="cell">免广告<span class="sub">已生效</span></div><div class="cell">蓝光画质<span class="sub">已生效</span></div><div class="cell">会员专享片库<span class="sub">已生效</span></div></div>
<a class="weak" href="javascript:void(0)" onclick="openSheet('reason-sheet')">立即解约</a>
<div class="mask" id="reason-sheet"><div class="sheet" role="dialog" aria-labelledby="reason-title"><h3 id="reason-title">请选择解约原因</h3>
<label class="reason"><input type="radio" name="reason" value="不再需要">不再需要</label>
<label class="reason"><input type="radio" name="reason" value="服务不满意">服务不满意</label>
<label class="reason"><input type="radio" name="reason" value="价格太贵">价格太贵</label>
<label class="reason"><input type="radio" name="reason" value="其他原因">其他原因</label>
<div class="err" id="reason-error"></div>
<div class="row2"><button class="plain" type="button" onclick="closeSheet('reason-sheet')">再想想</button><button class="danger" type="button" onclick="terminate()">确认解约</button></div></div></div>
<script>
function openSheet(id){{document.getElementById(id).classList.add('open')}}
function closeSheet(id){{document.getElementById(id).classList.remove('open')}}
function terminate(){{
  var r=document.querySelector('input[name=reason]:checked');
  if(!r){{document.getElementById('reason-error').textContent='请先选择解约原因';return}}
  fetch('/api/h5/terminate',{{method:'POST',headers:{{'Content-Type':'application/x-www-form-urlencoded'}},body:'reason='+encodeURIComponent(r.value)}})
  .then(function(){{location.href='/h5/vip?done=1'}});
}}
</script>"#
        ),
    )
}

pub fn settings(_a: &Audit) -> String {
    phone(
        "设置",
        Some("/h5/me"),
        None,
        r#"<div class="list"><div class="cell">账号与安全<span class="arrow">›</span></div><a class="cell" href="/h5/settings/pay">支付设置<span class="arrow">›</span></a><div class="cell">消息通知<span class="arrow">›</span></div><div class="cell">清除缓存<span class="sub">23.4 MB</span></div><div class="cell">关于星河视频<span class="sub">v8.6.0</span></div></div>"#,
    )
}

pub fn pay(_a: &Audit) -> String {
    phone(
        "支付设置",
        Some("/h5/settings"),
        None,
        r#"<div class="list"><div class="cell">免密支付<span class="sub">已开通</span></div><a class="cell" href="/h5/settings/pay/renew">自动续费管理<span class="arrow">›</span></a><div class="cell">支付方式<span class="sub">微信支付</span></div></div>
<div class="hint">自动续费服务可在到期前随时关闭</div>"#,
    )
}

/// 自动续费管理: the list comes from `/api/h5/renew/state` after a delay; the switch is a
/// custom element with an open shadow root.
pub fn renew(_a: &Audit) -> String {
    phone(
        "自动续费管理",
        Some("/h5/settings/pay"),
        None,
        r#"<div id="renew-list"><div class="loading">加载中…</div></div>
<div class="hint">关闭后会员到期后将自动终止，当前权益不受影响</div>
<div class="mask" id="retain"><div class="popup" role="dialog" aria-labelledby="retain-title"><h3 id="retain-title">确定要关闭自动续费吗？</h3><p>关闭后将无法享受续费优惠价 ¥15/月</p>
<form method="post" action="/api/decoy/coupon"><button class="btn hot" type="submit">领取5元续费券</button></form>
<button class="btn plain" type="button" onclick="closeAll()">再想想</button>
<a class="weak" style="margin-top:14px;font-size:13px" href="javascript:void(0)" onclick="toSheet()">残忍离开</a></div></div>
<div class="mask" id="confirm"><div class="sheet" role="dialog" aria-labelledby="confirm-title"><h3 id="confirm-title">关闭自动续费</h3><p>关闭后会员到期后将自动终止，当前权益不受影响。</p>
<div class="row2"><button class="plain" type="button" onclick="closeAll()">取消</button><button class="danger" type="button" onclick="turnOff()">确认关闭</button></div></div></div>
<script>
customElements.define('jy-switch', class extends HTMLElement {
  connectedCallback(){
    const root=this.attachShadow({mode:'open'});
    const on=this.getAttribute('on')==='true';
    root.innerHTML='<style>.sw{width:51px;height:31px;border-radius:16px;background:'+(on?'#34c759':'#e5e5ea')+';position:relative;cursor:pointer;transition:background .2s}.sw i{position:absolute;top:2px;left:'+(on?'22px':'2px')+';width:27px;height:27px;border-radius:50%;background:#fff;box-shadow:0 2px 4px rgba(0,0,0,.2)}</style><div class="sw" role="switch" aria-label="自动续费" aria-checked="'+on+'"><i></i></div>';
    root.querySelector('.sw').addEventListener('click',()=>this.dispatchEvent(new CustomEvent('flip',{bubbles:true})));
  }
});
function closeAll(){document.querySelectorAll('.mask').forEach(m=>m.classList.remove('open'))}
function toSheet(){closeAll();document.getElementById('confirm').classList.add('open')}
function turnOff(){fetch('/api/h5/renew/off',{method:'POST'}).then(()=>{closeAll();render()})}
function render(){
  fetch('/api/h5/renew/state').then(r=>r.json()).then(s=>{
    const box=document.getElementById('renew-list');
    if(!s.member){box.innerHTML='<div class="list"><div class="cell">暂无自动续费服务</div></div>';return}
    box.innerHTML='<div class="list"><div class="cell"><div><div>黄金会员 · 连续包月</div><div class="sub">¥19.9/月 · 下次扣费 2026-12-24</div></div><jy-switch on="'+s.auto_renew+'"></jy-switch></div>'+
      '<div class="cell">自动续费状态<span class="sub" id="renew-state">'+(s.auto_renew?'自动续费：已开启':'自动续费：已关闭')+'</span></div></div>';
    const sw=box.querySelector('jy-switch');
    sw.addEventListener('flip',()=>{ if(s.auto_renew){document.getElementById('retain').classList.add('open')} else {fetch('/api/h5/renew/on',{method:'POST'}).then(render)} });
    if(s.syncing) setTimeout(render,500);
  });
}
setTimeout(render,700);
</script>"#,
    )
}

/// 短信登录: phone number, an image captcha that must be right before a code is sent, the
/// SMS code, 登录 — the usual H5 login of Chinese video sites.
pub fn sms_login(captcha_id: &str, error: Option<&str>) -> String {
    phone(
        "短信登录",
        Some("/h5/login"),
        None,
        &format!(
            r#"<form class="login" method="post" action="/h5/login/sms"><h1>手机号登录</h1>
<label for="phone">手机号</label><input id="phone" name="phone" inputmode="tel" autocomplete="tel" placeholder="请输入手机号">
<label for="captcha-input">图形验证码</label><div style="display:flex;gap:10px;align-items:center"><input id="captcha-input" placeholder="请输入右侧字符" autocomplete="off"><img id="captcha" src="/h5/captcha.svg?id={captcha_id}" alt="图形验证码" width="120" height="44" style="border-radius:6px;flex:none"></div>
<input type="hidden" id="captcha-id" value="{captcha_id}">
<label for="sms">短信验证码</label><div style="display:flex;gap:10px;align-items:center"><input id="sms" name="sms" inputmode="numeric" autocomplete="one-time-code" placeholder="6位验证码"><button type="button" class="btn" id="send" style="flex:none;width:auto;padding:8px 12px;font-size:14px" onclick="sendSms()">获取验证码</button></div>
<div class="err" id="err">{err}</div><button class="btn hot" type="submit">登录</button>
<p style="font-size:13px;color:#999;margin-top:14px">演示：验证码发送到演示手机 /__demo/phone?user=手机号</p></form>
<script>
function sendSms(){{
  var body='phone='+encodeURIComponent(document.getElementById('phone').value)+'&captcha_id='+encodeURIComponent(document.getElementById('captcha-id').value)+'&captcha='+encodeURIComponent(document.getElementById('captcha-input').value);
  fetch('/api/h5/sms',{{method:'POST',headers:{{'Content-Type':'application/x-www-form-urlencoded'}},body:body}}).then(function(r){{return r.text().then(function(t){{
    var b=document.getElementById('send');
    if(r.ok){{b.textContent='已发送';b.disabled=true;document.getElementById('err').textContent='';}}
    else{{document.getElementById('err').textContent=t;}}
  }})}});
}}
</script>"#,
            err = error.unwrap_or("")
        ),
    )
}

/// The captcha image: the answer's characters, tilted, over noise lines.
pub fn captcha_svg(answer: &str) -> String {
    let mut glyphs = String::new();
    for (i, ch) in answer.chars().enumerate() {
        let x = 14 + i * 21;
        let tilt = [-14, 9, -6, 12, -10][i % 5];
        let y = [30, 34, 28, 33, 31][i % 5];
        glyphs.push_str(&format!(
            r##"<text x="{x}" y="{y}" transform="rotate({tilt} {x} {y})" font-family="DejaVu Sans Mono, monospace" font-size="24" font-weight="700" fill="#3a3f6b">{ch}</text>"##
        ));
    }
    format!(
        r##"<svg xmlns="http://www.w3.org/2000/svg" width="120" height="44" viewBox="0 0 120 44"><rect width="120" height="44" fill="#eef0f7"/><path d="M0 30 Q30 5 60 25 T120 12" stroke="#b9a3d6" stroke-width="2" fill="none"/><path d="M0 12 Q40 40 80 18 T120 34" stroke="#9fc2c7" stroke-width="1.5" fill="none"/>{glyphs}</svg>"##
    )
}
