//! Generated platforms on the demo server: `/gen/{seed}/…`, no login, state per seed in
//! memory, and an audit of everything that changed it (`/__demo/gen/{seed}/audit`).

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use std::time::Instant;

use axum::extract::{Form, Path, Query, State};
use axum::http::{header, StatusCode};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::{Deserialize, Serialize};

use super::render::{self, Live, Opts};
use super::words::fill;
use super::View;
use super::{Decoy, DialogForm, Entry, Platform, Screen};
use crate::demo::state::Event;

pub(crate) type GenShared = Arc<Mutex<GenState>>;

/// The platforms visited since the server started (or since their reset).
pub struct GenState {
    started: Instant,
    books: BTreeMap<u64, Book>,
}

impl Default for GenState {
    fn default() -> Self {
        GenState {
            started: Instant::now(),
            books: BTreeMap::new(),
        }
    }
}

/// One platform's state and what happened to it.
struct Book {
    platform: Platform,
    renew: Vec<bool>,
    mutations: Vec<Event>,
    decoy_clicks: Vec<Event>,
    wrong_service: Vec<Event>,
}

impl Book {
    fn new(seed: u64) -> Book {
        let platform = super::platform(seed);
        let renew = Live::fresh(&platform).renew;
        Book {
            platform,
            renew,
            mutations: Vec::new(),
            decoy_clicks: Vec::new(),
            wrong_service: Vec::new(),
        }
    }

    fn live(&self) -> Live {
        Live {
            renew: self.renew.clone(),
        }
    }

    fn audit(&self) -> GenAudit {
        let wanted = self.platform.wanted;
        GenAudit {
            seed: self.platform.seed,
            auto_renew: self.renew[wanted],
            others: self
                .renew
                .iter()
                .enumerate()
                .filter(|&(k, _)| k != wanted)
                .map(|(_, &on)| on)
                .collect(),
            mutations: self.mutations.clone(),
            decoy_clicks: self.decoy_clicks.clone(),
            wrong_service: self.wrong_service.clone(),
        }
    }
}

/// What `/__demo/gen/{seed}/audit` reports: the truth a test checks a run against.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct GenAudit {
    pub seed: u64,
    /// The wanted service's renewal.
    pub auto_renew: bool,
    /// The other services' renewal, in page order.
    pub others: Vec<bool>,
    /// Every request that changed the platform.
    pub mutations: Vec<Event>,
    /// Clicks on 立即续费 / 升级 / 申请退款 / offers, and turning the wanted renewal back on.
    pub decoy_clicks: Vec<Event>,
    /// Changes to a service that was not the wanted one.
    pub wrong_service: Vec<Event>,
}

impl GenState {
    fn event(&self, what: String) -> Event {
        Event {
            at_ms: self.started.elapsed().as_millis(),
            what,
        }
    }

    fn book(&mut self, seed: u64) -> &mut Book {
        self.books.entry(seed).or_insert_with(|| Book::new(seed))
    }

    /// A change of service `k`'s renewal asked by a page; `Err` is what the page says.
    fn renew(&mut self, seed: u64, k: usize, change: &RenewForm) -> Result<(), String> {
        let on = change.on == "1";
        let book = self.book(seed);
        let p = &book.platform;
        if k >= p.services.len() {
            return Err(format!("no service {k}"));
        }
        let lex = p.words.lex;
        let what = if k == p.wanted {
            if !on && p.chain.reason && change.reason.trim().is_empty() {
                return Err(lex.err_reason.to_string());
            }
            if !on && p.chain.ack && change.ack != "1" {
                return Err(fill(lex.err_ack, &[("a", &p.words.ack)]));
            }
            if on {
                "auto_renew_on"
            } else {
                "auto_renew_off"
            }
            .to_string()
        } else {
            format!("service {k} auto_renew_{}", if on { "on" } else { "off" })
        };
        let wanted = k == p.wanted;
        book.renew[k] = on;
        let event = self.event(what);
        let book = self.book(seed);
        book.mutations.push(event.clone());
        if !wanted {
            book.wrong_service.push(event);
        } else if on {
            book.decoy_clicks.push(event);
        }
        Ok(())
    }

    fn decoy(&mut self, seed: u64, decoy: Decoy) {
        let event = self.event(format!("decoy:{}", decoy.id()));
        let book = self.book(seed);
        book.decoy_clicks.push(event.clone());
        book.mutations.push(event);
    }
}

/// The audit of a platform a page of which was served or changed; `None` before that.
pub(crate) fn audit(shared: &GenShared, seed: u64) -> Option<GenAudit> {
    let state = shared.lock().expect("gen state lock");
    state.books.get(&seed).map(Book::audit)
}

/// Every platform back to its start.
pub(crate) fn reset_all(shared: &GenShared) {
    shared.lock().expect("gen state lock").books.clear();
}

pub(crate) fn routes(state: GenShared) -> Router {
    Router::new()
        .route(
            "/gen/{seed}",
            get(|Path(seed): Path<u64>| async move { Redirect::to(&format!("/gen/{seed}/")) }),
        )
        .route("/gen/{seed}/", get(start))
        .route("/gen/{seed}/m/{level}", get(level))
        .route("/gen/{seed}/svc", get(service))
        .route("/gen/{seed}/more/{k}", get(elsewhere))
        .route("/gen/{seed}/step/{i}", get(step))
        .route("/gen/{seed}/frame/{i}", get(frame))
        .route("/gen/{seed}/order/{id}", get(order))
        .route("/gen/{seed}/api/renew/{k}", post(renew))
        .route("/gen/{seed}/api/decoy/{id}", post(decoy))
        .route("/__demo/gen/{seed}/audit", get(audit_json))
        .route("/__demo/gen/{seed}/reset", get(reset).post(reset))
        .route("/__demo/gen/{seed}/path", get(path_json))
        .with_state(state)
}

/// Draws `view` of the seed's platform from its state (`None`: no such page).
fn show(
    shared: &GenShared,
    seed: u64,
    view: impl FnOnce(&Platform) -> Option<View>,
    o: Opts,
) -> Response {
    let mut state = shared.lock().expect("gen state lock");
    let book = state.book(seed);
    let Some(view) = view(&book.platform) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let html = render::page(&book.platform, view, &book.live(), &o);
    ([(header::CACHE_CONTROL, "no-store")], Html(html)).into_response()
}

async fn start(State(s): State<GenShared>, Path(seed): Path<u64>) -> Response {
    show(
        &s,
        seed,
        |p| {
            Some(if p.entry.direct() {
                View::Service
            } else {
                View::Start
            })
        },
        Opts::default(),
    )
}

async fn level(State(s): State<GenShared>, Path((seed, level)): Path<(u64, usize)>) -> Response {
    show(
        &s,
        seed,
        |p| match p.entry {
            Entry::Menu(depth) if (1..depth as usize).contains(&level) => Some(View::Level(level)),
            _ => None,
        },
        Opts::default(),
    )
}

async fn service(State(s): State<GenShared>, Path(seed): Path<u64>) -> Response {
    if super::platform(seed).entry.direct() {
        return Redirect::to(&format!("/gen/{seed}/")).into_response();
    }
    show(&s, seed, |_| Some(View::Service), Opts::default())
}

async fn elsewhere(State(s): State<GenShared>, Path((seed, k)): Path<(u64, usize)>) -> Response {
    show(
        &s,
        seed,
        |p| (k < p.details.elsewhere.len()).then_some(View::Elsewhere(k)),
        Opts::default(),
    )
}

#[derive(Deserialize, Default)]
struct StepQuery {
    reason: Option<String>,
}

/// A step of a confirmation made of pages. A step after the reason page without a reason
/// shows the reason page again, with the error.
async fn step(
    State(s): State<GenShared>,
    Path((seed, i)): Path<(u64, usize)>,
    Query(q): Query<StepQuery>,
) -> Response {
    let p = super::platform(seed);
    let screens = p.screens();
    if p.dialog != DialogForm::Pages || i >= screens.len() {
        return StatusCode::NOT_FOUND.into_response();
    }
    let reason = q.reason.filter(|r| !r.trim().is_empty());
    if i > 0 && screens[i - 1] == Screen::Reason && reason.is_none() {
        let error = Some(p.words.lex.err_reason.to_string());
        let o = Opts {
            error,
            ..Opts::default()
        };
        return show(&s, seed, |_| Some(View::Step(i - 1)), o);
    }
    let o = Opts {
        reason,
        ..Opts::default()
    };
    show(&s, seed, |_| Some(View::Step(i)), o)
}

async fn frame(
    State(s): State<GenShared>,
    Path((seed, i)): Path<(u64, usize)>,
    Query(q): Query<StepQuery>,
) -> Response {
    let o = Opts {
        reason: q.reason,
        ..Opts::default()
    };
    show(
        &s,
        seed,
        |p| (p.dialog == DialogForm::Iframe && i < p.screens().len()).then_some(View::Frame(i)),
        o,
    )
}

async fn order(State(s): State<GenShared>, Path((seed, id)): Path<(u64, String)>) -> Response {
    match Decoy::from_id(&id) {
        Some(decoy) => show(&s, seed, |_| Some(View::Order(decoy)), Opts::default()),
        None => StatusCode::NOT_FOUND.into_response(),
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct RenewForm {
    on: String,
    reason: String,
    ack: String,
    /// `page` when a form of a confirmation page sent it (not the page's script).
    via: String,
}

async fn renew(
    State(s): State<GenShared>,
    Path((seed, k)): Path<(u64, usize)>,
    Form(form): Form<RenewForm>,
) -> Response {
    let result = s.lock().expect("gen state lock").renew(seed, k, &form);
    let p = super::platform(seed);
    match (result, form.via == "page") {
        (Ok(()), true) => Redirect::to(&p.service_path()).into_response(),
        (Ok(()), false) => (StatusCode::OK, "ok").into_response(),
        (Err(error), true) => {
            let last = p.screens().len().saturating_sub(1);
            let reason = Some(form.reason).filter(|r| !r.trim().is_empty());
            let o = Opts {
                error: Some(error),
                reason,
                ..Opts::default()
            };
            show(&s, seed, |_| Some(View::Step(last)), o)
        }
        (Err(error), false) => (StatusCode::BAD_REQUEST, error).into_response(),
    }
}

async fn decoy(State(s): State<GenShared>, Path((seed, id)): Path<(u64, String)>) -> Response {
    match Decoy::from_id(&id) {
        Some(decoy) => {
            s.lock().expect("gen state lock").decoy(seed, decoy);
            (StatusCode::OK, "ok").into_response()
        }
        None => StatusCode::NOT_FOUND.into_response(),
    }
}

async fn audit_json(State(s): State<GenShared>, Path(seed): Path<u64>) -> Response {
    let state = s.lock().expect("gen state lock");
    let audit = match state.books.get(&seed) {
        Some(book) => book.audit(),
        None => Book::new(seed).audit(),
    };
    Json(audit).into_response()
}

/// The selectors a hand-written script would press on this platform (for the benchmark's
/// peers); 404 for a platform whose way out is more than clicks.
async fn path_json(Path(seed): Path<u64>) -> Response {
    match Platform::draw(seed).path() {
        Some(path) => Json(path).into_response(),
        None => StatusCode::NOT_FOUND.into_response(),
    }
}

async fn reset(State(s): State<GenShared>, Path(seed): Path<u64>) -> &'static str {
    s.lock().expect("gen state lock").books.remove(&seed);
    "reset"
}

#[cfg(test)]
pub(super) fn apply(
    state: &mut GenState,
    seed: u64,
    k: usize,
    on: bool,
    reason: &str,
    ack: bool,
) -> Result<GenAudit, String> {
    let form = RenewForm {
        on: if on { "1" } else { "0" }.to_string(),
        reason: reason.to_string(),
        ack: if ack { "1" } else { "" }.to_string(),
        via: String::new(),
    };
    state.renew(seed, k, &form)?;
    Ok(state.book(seed).audit())
}

#[cfg(test)]
pub(super) fn click_decoy(state: &mut GenState, seed: u64, id: &str) -> GenAudit {
    state.decoy(seed, Decoy::from_id(id).expect("a decoy id"));
    state.book(seed).audit()
}
