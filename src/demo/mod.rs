//! The embedded demo platform: a Chinese card platform (卡盟) with the dark patterns real ones
//! use, served on 127.0.0.1 only. It is the first thing a new user sees (`jieyue demo`) and
//! the target of the tests, which read its audit to learn what really happened.

pub mod gen;
mod h5;
mod mini;
mod state;
mod web;

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use axum::extract::{Form, Path, Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;

pub use gen::GenAudit;
use state::DemoState;
pub use state::{Audit, Event, DEMO_PASSWORD};

/// The bundled demo scripts, one per carrier.
pub const SCRIPT_WEB: &str = include_str!("../../scripts/demo-web.yaml");
pub const SCRIPT_H5: &str = include_str!("../../scripts/demo-h5.yaml");
pub const SCRIPT_MINI: &str = include_str!("../../scripts/demo-mini.yaml");
pub const SCRIPT_H5_SMS: &str = include_str!("../../scripts/demo-h5-sms.yaml");
pub const SCRIPT_MINI_QR: &str = include_str!("../../scripts/demo-mini-qr.yaml");

type Shared = Arc<Mutex<DemoState>>;

/// A running demo platform. Dropping it stops the server.
pub struct DemoServer {
    addr: SocketAddr,
    state: Shared,
    gen: gen::GenShared,
    shutdown: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl DemoServer {
    /// Starts the server on 127.0.0.1:`port` (0 = a free port) inside the current runtime.
    pub async fn start(port: u16) -> std::io::Result<DemoServer> {
        let listener = tokio::net::TcpListener::bind(("127.0.0.1", port)).await?;
        let addr = listener.local_addr()?;
        let state: Shared = Arc::new(Mutex::new(DemoState::new()));
        let gen = gen::GenShared::default();
        let (tx, rx) = tokio::sync::oneshot::channel();
        let app = router(state.clone()).merge(gen::routes(gen.clone()));
        tokio::spawn(async move {
            let _ = axum::serve(listener, app)
                .with_graceful_shutdown(async {
                    let _ = rx.await;
                })
                .await;
        });
        Ok(DemoServer {
            addr,
            state,
            gen,
            shutdown: Some(tx),
            thread: None,
        })
    }

    /// Every account's password becomes `password` (the accounts are reset).
    pub fn set_password(&self, password: &str) {
        let mut state = self.state.lock().expect("demo state");
        state.password = password.to_string();
        state.reset();
    }

    /// Starts the server on a free port with a runtime of its own, for callers without one
    /// (the integration tests).
    pub fn start_in_thread() -> std::io::Result<DemoServer> {
        let (ready_tx, ready_rx) = std::sync::mpsc::channel();
        let thread = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .expect("a tokio runtime for the demo server");
            runtime.block_on(async move {
                match DemoServer::start(0).await {
                    Ok(mut server) => {
                        let rx_done = server.shutdown.take();
                        let (stop_tx, stop_rx) = tokio::sync::oneshot::channel::<()>();
                        let _ = ready_tx.send(Ok((
                            server.addr,
                            server.state.clone(),
                            server.gen.clone(),
                            stop_tx,
                        )));
                        let _ = stop_rx.await;
                        if let Some(tx) = rx_done {
                            let _ = tx.send(());
                        }
                    }
                    Err(e) => {
                        let _ = ready_tx.send(Err(e));
                    }
                }
            });
        });
        let (addr, state, gen, stop) = ready_rx
            .recv()
            .map_err(|_| std::io::Error::other("the demo server thread ended early"))??;
        Ok(DemoServer {
            addr,
            state,
            gen,
            shutdown: Some(stop),
            thread: Some(thread),
        })
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The audit of one demo user, as `/__demo/audit?user=…` reports it.
    pub fn audit(&self, user: &str) -> Option<Audit> {
        let state = self.state.lock().expect("demo state lock");
        state.accounts.get(user).map(|a| a.audit.clone())
    }

    /// The audit of generated platform `seed` (`/gen/{seed}/`); `None` until one of its
    /// pages was served.
    pub fn gen_audit(&self, seed: u64) -> Option<GenAudit> {
        gen::audit(&self.gen, seed)
    }

    pub fn reset(&self) {
        self.state.lock().expect("demo state lock").reset();
        gen::reset_all(&self.gen);
    }
}

impl DemoServer {
    /// The answer of the last image captcha shown (what a person would read off it).
    pub fn last_captcha(&self) -> Option<String> {
        let state = self.state.lock().expect("demo state lock");
        state.captchas.last().map(|(_, answer)| answer.clone())
    }

    /// The code the next SMS to `user` will carry.
    pub fn set_next_sms(&self, user: &str, code: &str) {
        let mut state = self.state.lock().expect("demo state lock");
        state.next_sms.insert(user.to_string(), code.to_string());
    }

    /// The code of the last SMS sent to `user`, as the demo phone shows it.
    pub fn last_sms_code(&self, user: &str) -> Option<String> {
        let state = self.state.lock().expect("demo state lock");
        state.accounts.get(user)?.sms_code.clone()
    }

    /// The phone scans every QR login waiting: they log in as `user`. Returns how many.
    pub fn confirm_qr(&self, user: &str) -> usize {
        let mut state = self.state.lock().expect("demo state lock");
        confirm_pending_qr(&mut state, user)
    }
}

impl Drop for DemoServer {
    fn drop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// Renders a page from the logged-in user's state.
type Render = fn(&Audit) -> String;

/// The pages that only show the logged-in user's state: path, carrier, renderer.
const PAGES: &[(&str, Carrier, Render)] = &[
    ("/h5/home", Carrier::H5, h5::home),
    ("/h5/cat", Carrier::H5, h5::category),
    ("/h5/me", Carrier::H5, h5::me),
    ("/h5/settings", Carrier::H5, h5::settings),
    ("/h5/settings/pay", Carrier::H5, h5::pay),
    ("/h5/settings/pay/renew", Carrier::H5, h5::renew),
    ("/mini/home", Carrier::Mini, mini::home),
    ("/mini/manage", Carrier::Mini, mini::manage),
    ("/mini/renew", Carrier::Mini, mini::renew),
    ("/mini/frame/renew", Carrier::Mini, mini::renew_frame),
    ("/mini/settings", Carrier::Mini, mini::settings),
];

fn router(state: Shared) -> Router {
    let mut router = Router::new();
    for &(path, carrier, render) in PAGES {
        router = router.route(
            path,
            get(move |s, h| page(s, h, carrier, move |a, _| render(a))),
        );
    }
    router
        .route("/", get(root))
        .route(
            "/login",
            get(|s, h| login_get(s, h, Carrier::Web)).post(|s, f| login(s, f, Carrier::Web)),
        )
        .route("/logout", get(logout))
        .route("/home", get(|s, h| logged_in(s, h, |a, _| web::home(a))))
        .route(
            "/member",
            get(|s, h| logged_in(s, h, |a, _| web::member(a))),
        )
        .route(
            "/member/current",
            get(|s, h| logged_in(s, h, |a, _| web::current(a))),
        )
        .route("/member/service", get(service))
        .route(
            "/member/orders",
            get(|s, h| {
                logged_in(s, h, |a, _| {
                    web::notice(a, "订单记录", "2026-11-25 黄金会员（连续包月）¥19.9 已支付")
                })
            }),
        )
        .route(
            "/member/plans",
            get(|s, h| {
                logged_in(s, h, |a, _| {
                    web::notice(
                        a,
                        "修改套餐",
                        "可选套餐：连续包月 ¥19.9 / 连续包季 ¥54 / 年费 ¥198",
                    )
                })
            }),
        )
        .route(
            "/help",
            get(|s, h| {
                logged_in(s, h, |a, _| {
                    web::notice(
                        a,
                        "帮助中心",
                        "如何取消自动续费？请前往 会员中心 → 当前会员 → 服务详情。",
                    )
                })
            }),
        )
        .route("/h5", get(|| async { Redirect::to("/h5/home") }))
        .route(
            "/h5/login",
            get(|s, h| login_get(s, h, Carrier::H5)).post(|s, f| login(s, f, Carrier::H5)),
        )
        .route("/h5/vip", get(h5_vip))
        .route("/h5/login/sms", get(h5_sms_page).post(h5_sms_login))
        .route("/h5/captcha.svg", get(h5_captcha))
        .route("/api/h5/sms", post(h5_send_sms))
        .route("/mini/login/qr", get(mini_qr_page))
        .route("/mini/login/qr/enter", get(mini_qr_enter))
        .route("/api/mini/qr", get(mini_qr_state))
        .route(
            "/__demo/qr/confirm",
            get(demo_qr_confirm).post(demo_qr_confirm),
        )
        .route("/__demo/captcha", get(demo_captcha))
        .route("/__demo/cookies", get(demo_cookies))
        .route("/api/h5/renew/state", get(h5_renew_state))
        .route("/api/h5/renew/off", post(|s, h| set_renew(s, h, false)))
        .route("/api/h5/renew/on", post(|s, h| set_renew(s, h, true)))
        .route("/api/h5/terminate", post(terminate_h5))
        .route("/mini", get(|| async { Redirect::to("/mini/home") }))
        .route(
            "/mini/login",
            get(|s, h| login_get(s, h, Carrier::Mini)).post(|s, f| login(s, f, Carrier::Mini)),
        )
        .route("/mini/security", get(mini_security))
        .route("/api/mini/renew/off", post(|s, h| set_renew(s, h, false)))
        .route("/api/mini/renew/on", post(|s, h| set_renew(s, h, true)))
        .route("/api/mini/sms", post(send_sms))
        .route("/api/mini/terminate", post(terminate_mini))
        .route("/__demo/phone", get(phone))
        .route("/api/decoy/{what}", post(decoy))
        .route("/api/refund", post(refund))
        .route("/api/autorenew/off", post(autorenew_off))
        .route("/api/autorenew/on", post(autorenew_on))
        .route("/api/membership/end", post(membership_end))
        .route("/__demo/audit", get(audit))
        .route("/__demo/reset", get(reset).post(reset))
        .with_state(state)
}

const COOKIE: &str = "jy_session";
/// Sessions last 30 days, like a platform's "remember me": a saved profile keeps them.
const SESSION_MAX_AGE: u32 = 30 * 24 * 3600;

fn session_token(headers: &HeaderMap) -> Option<String> {
    let cookies = headers.get(header::COOKIE)?.to_str().ok()?;
    cookies.split(';').find_map(|c| {
        let (k, v) = c.trim().split_once('=')?;
        (k == COOKIE).then(|| v.to_string())
    })
}

fn session_user(state: &DemoState, headers: &HeaderMap) -> Option<String> {
    state.sessions.get(&session_token(headers)?).cloned()
}

/// Logs `user` in: a new session and its cookie, then the carrier's home page.
fn start_session(guard: &mut DemoState, user: &str, carrier: Carrier) -> Response {
    let token = guard.new_session(user);
    let cookie =
        format!("{COOKIE}={token}; Path=/; Max-Age={SESSION_MAX_AGE}; HttpOnly; SameSite=Lax");
    (
        [(header::SET_COOKIE, cookie)],
        Redirect::to(carrier.home_path()),
    )
        .into_response()
}

/// A carrier's login page; a valid session goes straight to the carrier's home.
async fn login_get(State(state): State<Shared>, headers: HeaderMap, carrier: Carrier) -> Response {
    let guard = state.lock().expect("demo state lock");
    if session_user(&guard, &headers).is_some() {
        return Redirect::to(carrier.home_path()).into_response();
    }
    Html(carrier.login_page("")).into_response()
}

/// The three carriers of the demo platform: each has its own pages and login page.
#[derive(Clone, Copy)]
enum Carrier {
    Web,
    H5,
    Mini,
}

impl Carrier {
    fn login_path(self) -> &'static str {
        match self {
            Carrier::Web => "/login",
            Carrier::H5 => "/h5/login",
            Carrier::Mini => "/mini/login",
        }
    }

    fn home_path(self) -> &'static str {
        match self {
            Carrier::Web => "/home",
            Carrier::H5 => "/h5/home",
            Carrier::Mini => "/mini/home",
        }
    }

    fn login_page(self, error: &str) -> String {
        match self {
            Carrier::Web => web::login(Some(error)),
            Carrier::H5 => h5::login(Some(error)),
            Carrier::Mini => mini::login(Some(error)),
        }
    }
}

/// Runs `render` for the logged-in user, or sends the browser to the login page.
async fn logged_in(
    state: State<Shared>,
    headers: HeaderMap,
    render: impl FnOnce(&Audit, &mut DemoState) -> String,
) -> Response {
    page(state, headers, Carrier::Web, render).await
}

/// A page of one carrier for the logged-in user, or that carrier's login page.
async fn page(
    State(state): State<Shared>,
    headers: HeaderMap,
    carrier: Carrier,
    render: impl FnOnce(&Audit, &mut DemoState) -> String,
) -> Response {
    let mut guard = state.lock().expect("demo state lock");
    let Some(user) = session_user(&guard, &headers) else {
        return Redirect::to(carrier.login_path()).into_response();
    };
    let Some(audit) = guard.accounts.get(&user).map(|a| a.audit.clone()) else {
        return Redirect::to(carrier.login_path()).into_response();
    };
    Html(render(&audit, &mut guard)).into_response()
}

async fn root(State(state): State<Shared>, headers: HeaderMap) -> Redirect {
    let guard = state.lock().expect("demo state lock");
    match session_user(&guard, &headers) {
        Some(_) => Redirect::to("/home"),
        None => Redirect::to("/login"),
    }
}

#[derive(Deserialize)]
struct LoginForm {
    username: String,
    password: String,
}

async fn login(
    State(state): State<Shared>,
    Form(form): Form<LoginForm>,
    carrier: Carrier,
) -> Response {
    let mut guard = state.lock().expect("demo state lock");
    match guard.accounts.get_mut(form.username.trim()) {
        Some(account) if account.password == form.password => {
            account.audit.logins += 1;
            start_session(&mut guard, form.username.trim(), carrier)
        }
        _ => (
            StatusCode::UNAUTHORIZED,
            Html(carrier.login_page("账号或密码错误，请重新输入")),
        )
            .into_response(),
    }
}

async fn logout(State(state): State<Shared>, headers: HeaderMap) -> Response {
    if let Some(token) = session_token(&headers) {
        state
            .lock()
            .expect("demo state lock")
            .sessions
            .remove(&token);
    }
    let cookie = format!("{COOKIE}=; Path=/; Max-Age=0");
    ([(header::SET_COOKIE, cookie)], Redirect::to("/login")).into_response()
}

#[derive(Deserialize)]
struct ServiceQuery {
    done: Option<String>,
    ended: Option<String>,
}

async fn service(s: State<Shared>, h: HeaderMap, Query(q): Query<ServiceQuery>) -> Response {
    let notice = match (q.done, q.ended) {
        (_, Some(_)) => Some("已解约。会员服务已终止，不会再自动扣费。"),
        (Some(_), None) => Some("已关闭自动续费。会员到期后将不再扣费，当前权益不受影响。"),
        (None, None) => None,
    };
    logged_in(s, h, |a, _| web::service(a, notice)).await
}

async fn decoy(s: State<Shared>, h: HeaderMap, Path(what): Path<String>) -> Response {
    let label = match what.as_str() {
        "renew" => "立即续费",
        "renew3" => "续费3个月",
        "upgrade" => "升级",
        "coupon" => "领取续费券",
        "order" => "立即订购",
        _ => "立即开通",
    };
    logged_in(s, h, |a, state| {
        state.record_decoy(&a.user, &format!("decoy:{label}"));
        web::notice(
            a,
            "支付确认",
            &format!("「{label}」订单已生成，请在 15 分钟内完成支付（演示平台不会真实扣款）。"),
        )
    })
    .await
}

async fn refund(s: State<Shared>, h: HeaderMap) -> Response {
    logged_in(s, h, |a, state| {
        state.record_mutation(&a.user, "refund_request");
        if let Some(audit) = state.audit_mut(&a.user) {
            audit.refund_requests += 1;
        }
        web::notice(
            a,
            "退款申请已提交",
            "您的退款申请已进入审核流程，预计 7-15 个工作日处理。注意：退款申请不会关闭自动续费。",
        )
    })
    .await
}

#[derive(Deserialize)]
struct PasswordForm {
    password: String,
}

async fn autorenew_off(
    State(state): State<Shared>,
    headers: HeaderMap,
    Form(form): Form<PasswordForm>,
) -> Response {
    api(&state, &headers, |guard, user| {
        if !password_ok(guard, user, &form.password) {
            return (StatusCode::FORBIDDEN, "密码错误").into_response();
        }
        turn_renewal(guard, user, false);
        (StatusCode::OK, "ok").into_response()
    })
}

/// An API call of the logged-in user: 401 without a session, else `act` under the lock.
fn api(
    state: &Shared,
    headers: &HeaderMap,
    act: impl FnOnce(&mut DemoState, &str) -> Response,
) -> Response {
    let mut guard = state.lock().expect("demo state lock");
    let Some(user) = session_user(&guard, headers) else {
        return StatusCode::UNAUTHORIZED.into_response();
    };
    act(&mut guard, &user)
}

fn password_ok(guard: &DemoState, user: &str, password: &str) -> bool {
    guard.accounts.get(user).map(|a| a.password.as_str()) == Some(password)
}

/// Turns auto-renew off (a change) or on (what a careful person never does: a decoy).
fn turn_renewal(guard: &mut DemoState, user: &str, on: bool) {
    if on {
        guard.record_decoy(user, "auto_renew_on");
    } else {
        guard.record_mutation(user, "auto_renew_off");
    }
    guard.set_auto_renew(user, on);
}

async fn autorenew_on(s: State<Shared>, h: HeaderMap) -> Response {
    logged_in(s, h, |a, state| {
        turn_renewal(state, &a.user, true);
        web::notice(a, "已开启自动续费", "自动续费已开启，到期前 1 天自动扣款。")
    })
    .await
}

#[derive(Deserialize)]
struct AuditQuery {
    user: String,
}

async fn audit(State(state): State<Shared>, Query(q): Query<AuditQuery>) -> Response {
    let guard = state.lock().expect("demo state lock");
    match guard.accounts.get(&q.user) {
        Some(a) => Json(a.audit.clone()).into_response(),
        None => (StatusCode::NOT_FOUND, format!("no demo user `{}`", q.user)).into_response(),
    }
}

async fn reset(State(state): State<Shared>) -> &'static str {
    state.lock().expect("demo state lock").reset();
    "reset"
}

async fn h5_vip(s: State<Shared>, h: HeaderMap, Query(q): Query<ServiceQuery>) -> Response {
    let notice = q.done.map(|_| "已解约。会员服务已终止，不会再自动扣费。");
    page(s, h, Carrier::H5, |a, _| h5::vip(a, notice)).await
}

async fn mini_security(s: State<Shared>, h: HeaderMap, Query(q): Query<ServiceQuery>) -> Response {
    let notice = q.done.map(|_| "解约成功。会员服务已终止，不会再自动扣费。");
    page(s, h, Carrier::Mini, |a, _| mini::security(a, notice)).await
}

/// The renewal state as the H5 page reads it: it lags a change by `SYNC_DELAY`.
async fn h5_renew_state(State(state): State<Shared>, headers: HeaderMap) -> Response {
    api(&state, &headers, |guard, user| {
        let member = guard
            .accounts
            .get(user)
            .is_some_and(|a| a.audit.membership_active);
        match guard.lagging_auto_renew(user) {
            Some((on, syncing)) => Json(serde_json::json!({
                "member": member,
                "auto_renew": on,
                "syncing": syncing,
            }))
            .into_response(),
            None => StatusCode::UNAUTHORIZED.into_response(),
        }
    })
}

/// The switches of h5 and mini: no password asked.
async fn set_renew(State(state): State<Shared>, headers: HeaderMap, on: bool) -> Response {
    api(&state, &headers, |guard, user| {
        turn_renewal(guard, user, on);
        (StatusCode::OK, "ok").into_response()
    })
}

fn end_membership(guard: &mut DemoState, user: &str) {
    guard.record_mutation(user, "membership_end");
    guard.set_auto_renew(user, false);
    if let Some(audit) = guard.audit_mut(user) {
        audit.membership_active = false;
    }
}

async fn terminate_h5(State(state): State<Shared>, headers: HeaderMap) -> Response {
    api(&state, &headers, |guard, user| {
        end_membership(guard, user);
        (StatusCode::OK, "ok").into_response()
    })
}

async fn send_sms(State(state): State<Shared>, headers: HeaderMap) -> Response {
    api(&state, &headers, |guard, user| {
        let Some(code) = guard.send_sms(user) else {
            return StatusCode::UNAUTHORIZED.into_response();
        };
        if let Some(path) = guard.sms_file.clone() {
            // A phone-forwarding app would write the code like this: whole, at once.
            let tmp = path.with_extension("part");
            if std::fs::write(&tmp, &code).is_ok() {
                let _ = std::fs::rename(&tmp, &path);
            }
        }
        (StatusCode::OK, "sent").into_response()
    })
}

#[derive(Deserialize)]
struct CodeForm {
    code: String,
}

async fn terminate_mini(
    State(state): State<Shared>,
    headers: HeaderMap,
    Form(form): Form<CodeForm>,
) -> Response {
    api(&state, &headers, |guard, user| {
        let expected = guard.accounts.get(user).and_then(|a| a.sms_code.clone());
        if expected.as_deref() != Some(form.code.trim()) {
            return (StatusCode::FORBIDDEN, "验证码错误").into_response();
        }
        if let Some(account) = guard.accounts.get_mut(user) {
            account.sms_code = None;
        }
        end_membership(guard, user);
        (StatusCode::OK, "ok").into_response()
    })
}

async fn phone(State(state): State<Shared>, Query(q): Query<AuditQuery>) -> Response {
    let guard = state.lock().expect("demo state lock");
    match guard.accounts.get(&q.user) {
        Some(a) => Html(mini::phone(&q.user, &a.sms)).into_response(),
        None => (StatusCode::NOT_FOUND, format!("no demo user `{}`", q.user)).into_response(),
    }
}

/// 立即解约 on the desktop carrier: ends the membership (password re-entered).
async fn membership_end(
    State(state): State<Shared>,
    headers: HeaderMap,
    Form(form): Form<PasswordForm>,
) -> Response {
    api(&state, &headers, |guard, user| {
        if !password_ok(guard, user, &form.password) {
            return (StatusCode::FORBIDDEN, "密码错误").into_response();
        }
        end_membership(guard, user);
        (StatusCode::OK, "ok").into_response()
    })
}

// ---- people in the loop: SMS login with an image captcha, QR login, imported cookies ----

#[derive(Deserialize)]
struct CaptchaQuery {
    id: String,
}

async fn h5_sms_page(State(state): State<Shared>, headers: HeaderMap) -> Response {
    let mut guard = state.lock().expect("demo state lock");
    if session_user(&guard, &headers).is_some() {
        return Redirect::to(Carrier::H5.home_path()).into_response();
    }
    let (id, _) = guard.new_captcha();
    Html(h5::sms_login(&id, None)).into_response()
}

async fn h5_captcha(State(state): State<Shared>, Query(q): Query<CaptchaQuery>) -> Response {
    let guard = state.lock().expect("demo state lock");
    match guard.captchas.iter().find(|(id, _)| *id == q.id) {
        Some((_, answer)) => (
            [
                (header::CONTENT_TYPE, "image/svg+xml"),
                (header::CACHE_CONTROL, "no-store"),
            ],
            h5::captcha_svg(answer),
        )
            .into_response(),
        None => StatusCode::NOT_FOUND.into_response(),
    }
}

#[derive(Deserialize)]
struct SmsRequest {
    phone: String,
    captcha_id: String,
    captcha: String,
}

async fn h5_send_sms(State(state): State<Shared>, Form(form): Form<SmsRequest>) -> Response {
    let mut guard = state.lock().expect("demo state lock");
    let right = guard.captchas.iter().any(|(id, answer)| {
        *id == form.captcha_id && answer.eq_ignore_ascii_case(form.captcha.trim())
    });
    if !right {
        return (StatusCode::BAD_REQUEST, "图形验证码错误").into_response();
    }
    match guard.send_sms(form.phone.trim()) {
        Some(_) => (StatusCode::OK, "sent").into_response(),
        None => (StatusCode::BAD_REQUEST, "该手机号未注册").into_response(),
    }
}

#[derive(Deserialize)]
struct SmsLogin {
    phone: String,
    sms: String,
}

async fn h5_sms_login(State(state): State<Shared>, Form(form): Form<SmsLogin>) -> Response {
    let mut guard = state.lock().expect("demo state lock");
    let user = form.phone.trim().to_string();
    let ok = match guard.accounts.get_mut(&user) {
        Some(account) if account.sms_code.as_deref() == Some(form.sms.trim()) => {
            account.sms_code = None;
            account.audit.logins += 1;
            true
        }
        _ => false,
    };
    if ok {
        return start_session(&mut guard, &user, Carrier::H5);
    }
    let (id, _) = guard.new_captcha();
    (
        StatusCode::UNAUTHORIZED,
        Html(h5::sms_login(&id, Some("短信验证码错误或已过期"))),
    )
        .into_response()
}

#[derive(Deserialize)]
struct QrQuery {
    token: String,
}

async fn mini_qr_page(State(state): State<Shared>, headers: HeaderMap) -> Response {
    let mut guard = state.lock().expect("demo state lock");
    if session_user(&guard, &headers).is_some() {
        return Redirect::to(Carrier::Mini.home_path()).into_response();
    }
    let token = guard.token("qr");
    guard.qr.insert(token.clone(), None);
    Html(mini::qr_login(&token)).into_response()
}

async fn mini_qr_state(State(state): State<Shared>, Query(q): Query<QrQuery>) -> &'static str {
    let guard = state.lock().expect("demo state lock");
    match guard.qr.get(&q.token) {
        Some(Some(_)) => "confirmed",
        Some(None) => "waiting",
        None => "expired",
    }
}

async fn mini_qr_enter(State(state): State<Shared>, Query(q): Query<QrQuery>) -> Response {
    let mut guard = state.lock().expect("demo state lock");
    match guard.qr.remove(&q.token) {
        Some(Some(user)) => {
            if let Some(audit) = guard.audit_mut(&user) {
                audit.logins += 1;
            }
            start_session(&mut guard, &user, Carrier::Mini)
        }
        _ => Redirect::to("/mini/login/qr").into_response(),
    }
}

fn confirm_pending_qr(state: &mut DemoState, user: &str) -> usize {
    if !state.accounts.contains_key(user) {
        return 0;
    }
    let mut n = 0;
    for who in state.qr.values_mut().filter(|w| w.is_none()) {
        *who = Some(user.to_string());
        n += 1;
    }
    n
}

/// Demo-only: the phone scans the QR codes waiting (`?user=demo`).
async fn demo_qr_confirm(State(state): State<Shared>, Query(q): Query<AuditQuery>) -> String {
    let n = confirm_pending_qr(&mut state.lock().expect("demo state lock"), &q.user);
    format!("confirmed {n} QR login(s) as {}", q.user)
}

/// Demo-only: the answer of the last captcha shown.
async fn demo_captcha(State(state): State<Shared>) -> Response {
    let guard = state.lock().expect("demo state lock");
    match guard.captchas.last() {
        Some((_, answer)) => answer.clone().into_response(),
        None => (StatusCode::NOT_FOUND, "no captcha shown yet").into_response(),
    }
}

/// Demo-only: a logged-in session for `?user=`, as a browser extension exports cookies — to
/// try `--cookies FILE`. It does not count as a login.
async fn demo_cookies(
    State(state): State<Shared>,
    headers: HeaderMap,
    Query(q): Query<AuditQuery>,
) -> Response {
    let mut guard = state.lock().expect("demo state lock");
    if !guard.accounts.contains_key(&q.user) {
        return (StatusCode::NOT_FOUND, format!("no demo user `{}`", q.user)).into_response();
    }
    let token = guard.new_session(&q.user);
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .and_then(|h| h.split(':').next())
        .unwrap_or("127.0.0.1")
        .to_string();
    let expires = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() + SESSION_MAX_AGE as u64)
        .unwrap_or(0);
    axum::Json(serde_json::json!([{
        "domain": host,
        "expirationDate": expires,
        "hostOnly": true,
        "httpOnly": true,
        "name": COOKIE,
        "path": "/",
        "sameSite": "lax",
        "secure": false,
        "session": false,
        "storeId": "0",
        "value": token
    }]))
    .into_response()
}
