//! The script of a served page. One script serves every platform: what differs is its
//! configuration, and the controls carry opaque `data-spm` values (as tracking ids do) that
//! the configuration maps to what they do. Nothing turns renewal off but the last step.

use serde_json::{json, Map, Value};

use super::kit::sel;
use super::words::fill;
use super::{screen_id, View};
use super::{Decoy, DialogForm, Platform, StateForm};

/// The `<script>` of a served page; `late` is the service list the page inserts late
/// (the placeholder's id and the list).
pub(super) fn page(p: &Platform, view: View, late: Option<(String, String)>) -> String {
    let w = &p.words;
    let lex = w.lex;
    let mut actions = Map::new();
    let mut add = |action: String, value: Value| {
        actions.insert(p.code(&action), value);
    };
    for name in ["entry", "save", "stay", "final"] {
        add(name.to_string(), json!([name]));
    }
    for i in 0..p.screens().len() {
        add(format!("next:{i}"), json!(["next", i]));
    }
    for decoy in Decoy::ON_PAGE.into_iter().chain([Decoy::Offer]) {
        add(
            format!("decoy:{}", decoy.id()),
            json!(["decoy", decoy.id()]),
        );
    }
    for k in 0..p.services.len() {
        add(format!("on:{k}"), json!(["on", k]));
    }
    let screens: Vec<String> = if p.dialog.in_page() && view == View::Service {
        (0..p.screens().len()).map(|i| screen_id(p, i)).collect()
    } else {
        Vec::new()
    };
    let wanted = &p.services[p.wanted];
    let native = format!(
        "{}\n{}",
        w.final_title,
        fill(
            lex.final_body,
            &[
                ("n", &wanted.name),
                ("d", &super::words::date(p.lang, wanted.until))
            ]
        )
    );
    let config = json!({
        "base": p.base(),
        "svc": p.service_path(),
        "k": p.wanted,
        "dialog": p.dialog.name(),
        "screens": screens,
        "sheet": if p.dialog == DialogForm::Sheet {
            json!([sel(&p.ui.sheet), p.ui.sheet_open.split_whitespace().collect::<Vec<_>>()])
        } else {
            Value::Null
        },
        "on": p.ui.switch_on.split_whitespace().collect::<Vec<_>>(),
        "save": p.chain.save,
        "needReason": p.chain.reason,
        "countdown": p.chain.countdown,
        "gate": p.chain.ack && p.details.ack_gates,
        "native": native,
        "errReason": lex.err_reason,
        "errAck": fill(lex.err_ack, &[("a", &w.ack)]),
        "noChange": lex.no_change,
        "cd": lex.countdown,
        "frame": match view { View::Frame(i) => json!(i), _ => Value::Null },
        "step": matches!(view, View::Step(_)),
        "tag": if p.state == StateForm::Shadow { json!(p.ui.shadow_tag) } else { Value::Null },
        "late": late.map(|(id, list)| json!([id, list, p.late_ms])),
        "frameClass": p.ui.frame,
        "frameTitle": w.final_title,
        "a": actions,
    });
    // `</` inside a string would end the script element.
    let config = config.to_string().replace("</", "<\\/");
    format!("<script>(function(){{var C={config};\n{RUNTIME}}})();</script>")
}

const RUNTIME: &str = r#"var A=C.a,sw=null,dirty=false,reason="";
function post(u,d){return fetch(u,{method:"POST",credentials:"same-origin",headers:{"Content-Type":"application/x-www-form-urlencoded"},body:new URLSearchParams(d||{}).toString()});}
function go(u){try{window.top.location.href=u;}catch(e){location.href=u;}}
function kind(el){var v=el&&el.getAttribute&&el.getAttribute("data-spm");return v&&A[v]?A[v]:null;}
function find(root,k){var all=root.querySelectorAll("[data-spm]");for(var i=0;i<all.length;i++){var a=kind(all[i]);if(a&&a[0]===k)return all[i];}return null;}
function isSwitch(el){return el.type==="checkbox"||el.hasAttribute("aria-checked")||el.hasAttribute("aria-pressed");}
function isOn(el){if(el.type==="checkbox")return el.checked;return(el.getAttribute("aria-pressed")||el.getAttribute("aria-checked"))==="true";}
function setOn(el,on){if(el.type==="checkbox"){el.checked=on;return;}el.setAttribute(el.hasAttribute("aria-pressed")?"aria-pressed":"aria-checked",on?"true":"false");C.on.forEach(function(c){el.classList.toggle(c,on);});}
function toast(t){var d=document.createElement("div");d.textContent=t;d.setAttribute("style","position:fixed;left:50%;top:18%;transform:translateX(-50%);background:rgba(0,0,0,.78);color:#fff;padding:10px 18px;border-radius:6px;z-index:3000");document.body.appendChild(d);setTimeout(function(){d.remove();},2200);}
function screenOf(el){for(var n=el;n;n=n.parentNode||n.host){if(n.id&&C.screens.indexOf(n.id)>=0)return n;}return document;}
function err(root,t){var e=root.querySelector(".err");if(e)e.textContent=t;else toast(t);}
function arm(root){var fin=find(root,"final");if(!fin)return;var ack=root.querySelector("input[name=ack]"),cd=fin.querySelector(".cd"),left=C.countdown;if(root.__t)clearInterval(root.__t);
function upd(){fin.disabled=left>0||(C.gate&&!!ack&&!ack.checked);if(cd)cd.textContent=left>0?C.cd.replace("{x}",left):"";}
if(ack)ack.onchange=upd;upd();if(left>0)root.__t=setInterval(function(){left--;upd();if(left<=0)clearInterval(root.__t);},1000);}
function box(i){return document.getElementById(C.screens[i]);}
function show(i){var b=box(i);if(!b)return;if(b.tagName==="DIALOG"){if(!b.open)b.showModal();}else{b.style.display="";if(C.sheet){var s=b.querySelector(C.sheet[0]);if(s)requestAnimationFrame(function(){requestAnimationFrame(function(){C.sheet[1].forEach(function(c){s.classList.add(c);});});});}}arm(b);}
function hide(i){var b=box(i);if(!b)return;if(b.tagName==="DIALOG"){if(b.open)b.close();return;}if(C.sheet){var s=b.querySelector(C.sheet[0]);if(s)C.sheet[1].forEach(function(c){s.classList.remove(c);});}b.style.display="none";}
function revert(){if(sw)setOn(sw,true);dirty=false;}
function commit(d){d=d||{};d.on="0";post(C.base+"/api/renew/"+C.k,d).then(function(r){if(r.ok)go(C.svc);else r.text().then(toast);});}
function layer(){var f=document.createElement("iframe");f.src=C.base+"/frame/0";f.className=C.frameClass;f.title=C.frameTitle;f.setAttribute("style","position:fixed;left:0;top:0;width:100%;height:100%;border:0;z-index:2000;background:transparent");document.body.appendChild(f);window.__closeLayer=function(){f.remove();revert();};}
function begin(){switch(C.dialog){case "none":commit();break;case "native":if(window.confirm(C.native))commit();else revert();break;case "pages":go(C.base+"/step/0");break;case "iframe":layer();break;default:show(0);}}
function picked(root){var x=root.querySelector("input[type=radio]:checked");return x?x.value:"";}
function next(i,el){var root=screenOf(el),r=picked(root);if(root.querySelector("input[type=radio]")&&!r){err(root,C.errReason);return;}if(r)reason=r;
if(C.frame!==null){location.href=C.base+"/frame/"+(i+1)+(reason?"?reason="+encodeURIComponent(reason):"");return;}hide(i);show(i+1);}
function fin(el){var root=screenOf(el),r=picked(root)||reason||new URLSearchParams(location.search).get("reason")||"",ack=root.querySelector("input[name=ack]");
if(C.needReason&&!r){err(root,C.errReason);return;}if(ack&&!ack.checked){err(root,C.errAck);return;}commit({reason:r,ack:ack?"1":""});}
function stay(){if(C.frame!==null){if(window.parent&&window.parent.__closeLayer)window.parent.__closeLayer();return;}for(var i=0;i<C.screens.length;i++)hide(i);revert();}
document.addEventListener("click",function(e){var path=e.composedPath?e.composedPath():[e.target],el=null,a=null;
for(var i=0;i<path.length&&!a;i++){a=kind(path[i]);if(a)el=path[i];}if(!a)return;var k=a[0];
if(C.step&&k!=="decoy")return;
if(k==="decoy"){e.preventDefault();post(C.base+"/api/decoy/"+a[1]).then(function(){go(C.base+"/order/"+a[1]);});}
else if(k==="on"){e.preventDefault();post(C.base+"/api/renew/"+a[1],{on:"1"}).then(function(){location.reload();});}
else if(k==="entry"){if(isSwitch(el)){sw=el;if(C.save){if(el.type!=="checkbox")setOn(el,!isOn(el));dirty=!isOn(el);return;}}e.preventDefault();begin();}
else if(k==="save"){e.preventDefault();if(dirty)begin();else toast(C.noChange);}
else if(k==="stay"){e.preventDefault();stay();}
else if(k==="next"){e.preventDefault();next(a[1],el);}
else if(k==="final"){e.preventDefault();fin(el);}});
if(C.tag&&window.customElements&&!customElements.get(C.tag)){customElements.define(C.tag,class extends HTMLElement{connectedCallback(){if(this.shadowRoot)return;var t=this.querySelector("template");if(!t)return;this.attachShadow({mode:"open"}).appendChild(t.content.cloneNode(true));t.remove();}});}
if(C.late){setTimeout(function(){var c=document.getElementById(C.late[0]);if(c)c.innerHTML=C.late[1];},C.late[2]);}
if(C.frame!==null||C.step)arm(document);
"#;
