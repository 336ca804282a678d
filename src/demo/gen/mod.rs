//! A generator of membership platforms, to measure the engine on a class of pages rather
//! than on one page. A seed composes one platform from independent axes: how the wanted
//! service's renewal state is shown, where the way to turn it off is, the form of the
//! confirmation and what it asks, how late the list renders, the language, the decoys, the
//! services, the carrier and the UI kit.
//!
//! The demo server serves each platform under `/gen/{seed}/` with its own state and audit
//! (see [`serve`]); [`pages`] renders every state its flow passes through as static HTML
//! carrying the labels of `tests/fixtures/blind/README.md`, for the pure engine tests.

mod kit;
mod path;
mod render;
mod script;
mod serve;
mod words;

pub use serve::GenAudit;
pub(super) use serve::{audit, reset_all, routes, GenShared};

use kit::Ui;
use words::Words;

/// Every axis and the values it can take, in the order [`Platform::axes`] reports them.
/// `chain` and `decoys` hold several values at once: `axes()` lists one pair per value.
pub const AXES: &[(&str, &[&str])] = &[
    (
        "state",
        &[
            "checkbox",
            "label-switch",
            "role-switch",
            "aria-pressed",
            "shadow",
            "status",
            "badge",
            "dl",
            "table",
            "verb",
            "agreement",
        ],
    ),
    (
        "entry",
        &[
            "switch", "row", "foot", "menu1", "menu2", "menu3", "hover", "newtab",
        ],
    ),
    ("place", &["switch", "row", "foot"]),
    (
        "dialog",
        &[
            "none",
            "native",
            "dialog",
            "role-dialog",
            "roleless",
            "sheet",
            "pages",
            "iframe",
        ],
    ),
    (
        "chain",
        &[
            "none",
            "retention",
            "reason",
            "ack",
            "countdown",
            "save",
            "bare-cancel",
        ],
    ),
    ("timing", &["0ms", "300ms", "800ms", "1500ms", "2000ms"]),
    ("lang", &["zh-Hans", "zh-Hant", "en"]),
    (
        "decoys",
        &[
            "none", "renew", "renew3", "upgrade", "refund", "coupon", "annual",
        ],
    ),
    ("services", &["1", "2", "3"]),
    ("wanted", &["1", "2", "3"]),
    ("carrier", &["web", "h5"]),
    (
        "kit",
        &["element", "ant", "vant", "weui", "bootstrap", "plain"],
    ),
];

/// One state of a platform's flow as static HTML: `stage` is `start`, `menu-N`,
/// `service`, `save`, `retention`, `reason`, `confirm` or `done`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GenPage {
    pub stage: String,
    pub html: String,
}

/// The platform of one seed.
pub fn platform(seed: u64) -> Platform {
    Platform::draw(seed)
}

/// Every state the flow of the seed's platform passes through, labelled: the pages before
/// the service (menus), the service page, each step of the confirmation as it first shows,
/// and the page after the change. A native `confirm()` has no page of its own; an iframe
/// step is the document inside the frame.
pub fn pages(seed: u64) -> Vec<GenPage> {
    render::stages(&platform(seed))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum StateForm {
    Checkbox,
    LabelSwitch,
    RoleSwitch,
    AriaPressed,
    Shadow,
    Status,
    Badge,
    Dl,
    Table,
    Verb,
    Agreement,
}

impl StateForm {
    const ALL: [StateForm; 11] = [
        StateForm::Checkbox,
        StateForm::LabelSwitch,
        StateForm::RoleSwitch,
        StateForm::AriaPressed,
        StateForm::Shadow,
        StateForm::Status,
        StateForm::Badge,
        StateForm::Dl,
        StateForm::Table,
        StateForm::Verb,
        StateForm::Agreement,
    ];

    fn name(self) -> &'static str {
        AXES[0].1[self as usize]
    }

    /// Whether the state is a control that is itself the way to turn renewal off.
    fn is_switch(self) -> bool {
        (self as usize) < 5
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Entry {
    Switch,
    Row,
    Foot,
    Menu(u8),
    Hover,
    NewTab,
}

impl Entry {
    fn name(self) -> String {
        match self {
            Entry::Switch => "switch".into(),
            Entry::Row => "row".into(),
            Entry::Foot => "foot".into(),
            Entry::Menu(depth) => format!("menu{depth}"),
            Entry::Hover => "hover".into(),
            Entry::NewTab => "newtab".into(),
        }
    }

    /// Whether the service page is the start page.
    fn direct(self) -> bool {
        matches!(self, Entry::Switch | Entry::Row | Entry::Foot)
    }
}

/// Where the control sits on the service page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Place {
    Switch,
    Row,
    Foot,
}

impl Place {
    fn name(self) -> &'static str {
        match self {
            Place::Switch => "switch",
            Place::Row => "row",
            Place::Foot => "foot",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum DialogForm {
    None,
    Native,
    Dialog,
    RoleDialog,
    Roleless,
    Sheet,
    Pages,
    Iframe,
}

impl DialogForm {
    const ALL: [DialogForm; 8] = [
        DialogForm::None,
        DialogForm::Native,
        DialogForm::Dialog,
        DialogForm::RoleDialog,
        DialogForm::Roleless,
        DialogForm::Sheet,
        DialogForm::Pages,
        DialogForm::Iframe,
    ];

    fn name(self) -> &'static str {
        AXES[3].1[self as usize]
    }

    /// Whether the steps of the chain are drawn in the page itself.
    fn in_page(self) -> bool {
        matches!(
            self,
            DialogForm::Dialog | DialogForm::RoleDialog | DialogForm::Roleless | DialogForm::Sheet
        )
    }
}

/// What the confirmation asks, as it applies to the platform's dialog form (a native
/// `confirm()` or no dialog asks nothing; a save button needs a switch).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Chain {
    retention: bool,
    reason: bool,
    ack: bool,
    /// Seconds the final button stays disabled; 0 for none.
    countdown: u8,
    save: bool,
    bare_cancel: bool,
}

/// One step of the confirmation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Screen {
    Retention,
    Reason,
    Final { reason: bool },
}

impl Screen {
    fn stage(self) -> &'static str {
        match self {
            Screen::Retention => "retention",
            Screen::Reason => "reason",
            Screen::Final { .. } => "confirm",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Lang {
    Hans,
    Hant,
    En,
}

impl Lang {
    fn name(self) -> &'static str {
        AXES[6].1[self as usize]
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Decoy {
    Renew,
    Renew3,
    Upgrade,
    Refund,
    Coupon,
    Annual,
    /// The offer inside a retention step.
    Offer,
}

impl Decoy {
    const ON_PAGE: [Decoy; 6] = [
        Decoy::Renew,
        Decoy::Renew3,
        Decoy::Upgrade,
        Decoy::Refund,
        Decoy::Coupon,
        Decoy::Annual,
    ];

    fn id(self) -> &'static str {
        match self {
            Decoy::Offer => "offer",
            other => AXES[7].1[other as usize + 1],
        }
    }

    fn from_id(id: &str) -> Option<Decoy> {
        Decoy::ON_PAGE
            .into_iter()
            .chain([Decoy::Offer])
            .find(|d| d.id() == id)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Carrier {
    Web,
    H5,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kit {
    Element,
    Ant,
    Vant,
    Weui,
    Bootstrap,
    Plain,
}

impl Kit {
    const ALL: [Kit; 6] = [
        Kit::Element,
        Kit::Ant,
        Kit::Vant,
        Kit::Weui,
        Kit::Bootstrap,
        Kit::Plain,
    ];

    fn name(self) -> &'static str {
        AXES[11].1[self as usize]
    }
}

/// A service's renewal at the start: on (the wanted one), off, or a service that never
/// renews; the words are what the page shows.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Renewal {
    On,
    Off(String),
    Never(String),
}

#[derive(Debug, Clone)]
struct Service {
    name: String,
    plan: String,
    until: (u16, u8, u8),
    renewal: Renewal,
}

/// Choices that vary the markup without being an axis.
struct Details {
    /// The labels of the way to the service page: one per menu level; for a hover menu
    /// its trigger and item; for a new tab the link.
    levels: Vec<String>,
    /// Links that lead elsewhere (orders, help…).
    elsewhere: Vec<String>,
    /// On h5, the first menu level is the tab bar's 我的 / Me.
    tab_is_level1: bool,
    stay_first: bool,
    /// The stay button is the coloured one (a common retention trick).
    stay_loud: bool,
    /// The final button stays disabled until the acknowledgement is ticked.
    ack_gates: bool,
    reason_apart: bool,
    offer: bool,
    frame_role: bool,
    entry_button: bool,
    side_menu: bool,
    /// The first decoy also shows as a banner on the start page.
    banner: bool,
}

/// A composed platform. Everything about it follows from its seed.
pub struct Platform {
    seed: u64,
    state: StateForm,
    entry: Entry,
    place: Place,
    dialog: DialogForm,
    chain: Chain,
    late_ms: u32,
    lang: Lang,
    decoys: Vec<Decoy>,
    services: Vec<Service>,
    wanted: usize,
    carrier: Carrier,
    kit: Kit,
    words: Words,
    ui: Ui,
    details: Details,
}

const DATES: [(u16, u8, u8); 5] = [
    (2026, 1, 5),
    (2026, 2, 18),
    (2026, 3, 1),
    (2026, 4, 12),
    (2025, 12, 30),
];

impl Platform {
    fn draw(seed: u64) -> Platform {
        // Each axis draws from a stream of its own: a change to how one axis is drawn
        // leaves every other axis of every seed where it was.
        let lang = Rng::new(seed, "lang").pick(&[Lang::Hans, Lang::Hant, Lang::En]);
        let state = Rng::new(seed, "state").pick(&StateForm::ALL);
        let carrier = Rng::new(seed, "carrier").pick(&[Carrier::Web, Carrier::H5]);
        let kit = Rng::new(seed, "kit").pick(&Kit::ALL);
        let dialog = Rng::new(seed, "dialog").pick(&DialogForm::ALL);
        let late_ms = Rng::new(seed, "timing").pick(&[0, 0, 300, 800, 1500, 2000]);
        let place = Platform::draw_place(seed, state);
        let entry = Platform::draw_entry(seed, place, carrier);
        let chain = Platform::draw_chain(seed, dialog, state);

        let lex = words::lexicon(lang);
        let decoys = {
            let mut d = Rng::new(seed, "decoys");
            let n = d.pick(&[0, 1, 1, 2, 2, 3, 4]);
            d.sample(&Decoy::ON_PAGE, n)
        };
        let (services, wanted) = Platform::draw_services(seed, lex);

        let mut x = Rng::new(seed, "details");
        let words = Words::draw(lang, &mut x);
        let ui = kit::ui(kit, &mut x);
        let details = Platform::draw_details(&mut x, lex, entry, carrier, dialog);

        Platform {
            seed,
            state,
            entry,
            place,
            dialog,
            chain,
            late_ms,
            lang,
            decoys,
            services,
            wanted,
            carrier,
            kit,
            words,
            ui,
            details,
        }
    }

    /// Where the way to turn renewal off sits on a service's card.
    fn draw_place(seed: u64, state: StateForm) -> Place {
        let drawn = Rng::new(seed, "place").pick(&[Place::Row, Place::Foot]);
        if state.is_switch() {
            Place::Switch
        } else if state == StateForm::Table {
            // A table row has no card foot of its own.
            Place::Row
        } else {
            drawn
        }
    }

    /// The way to the service page: at its place, through menus, a hover menu or a new tab.
    fn draw_entry(seed: u64, place: Place, carrier: Carrier) -> Entry {
        match Rng::new(seed, "entry").below(100) {
            0..=39 => match place {
                Place::Switch => Entry::Switch,
                Place::Row => Entry::Row,
                Place::Foot => Entry::Foot,
            },
            40..=51 => Entry::Menu(1),
            52..=63 => Entry::Menu(2),
            64..=73 => Entry::Menu(3),
            // A phone has no hover: there the menu is one tap deep.
            74..=86 if carrier == Carrier::H5 => Entry::Menu(1),
            74..=86 => Entry::Hover,
            _ => Entry::NewTab,
        }
    }

    /// The steps of the confirmation, as far as the dialog form and the state allow them.
    fn draw_chain(seed: u64, dialog: DialogForm, state: StateForm) -> Chain {
        let mut c = Rng::new(seed, "chain");
        let (retention, reason, ack) = (c.chance(40), c.chance(40), c.chance(40));
        let countdown = if c.chance(30) {
            1 + c.below(3) as u8
        } else {
            0
        };
        let (save, bare_cancel) = (c.chance(35), c.chance(35));
        let asks = !matches!(dialog, DialogForm::None | DialogForm::Native);
        Chain {
            retention: retention && asks,
            reason: reason && asks,
            ack: ack && asks,
            countdown: if asks { countdown } else { 0 },
            save: save && state.is_switch(),
            bare_cancel: bare_cancel && asks,
        }
    }

    /// The services listed and which of them is the wanted one (the one renewing).
    fn draw_services(seed: u64, lex: &words::Lexicon) -> (Vec<Service>, usize) {
        let mut s = Rng::new(seed, "services");
        let n = 1 + s.below(3);
        let wanted = s.below(n);
        let names = s.sample(lex.services, n);
        let services = names
            .into_iter()
            .enumerate()
            .map(|(k, name)| Service {
                name: name.to_string(),
                plan: s.pick(lex.plans).to_string(),
                until: s.pick(&DATES),
                renewal: if k == wanted {
                    Renewal::On
                } else if s.chance(60) {
                    Renewal::Off(s.pick(lex.other_off).to_string())
                } else {
                    Renewal::Never(s.pick(lex.no_renew).to_string())
                },
            })
            .collect();
        (services, wanted)
    }

    /// The details of the markup, drawn from `x` after the words and the kit.
    fn draw_details(
        x: &mut Rng,
        lex: &words::Lexicon,
        entry: Entry,
        carrier: Carrier,
        dialog: DialogForm,
    ) -> Details {
        let elsewhere: Vec<String> = x
            .sample(lex.elsewhere, 4)
            .into_iter()
            .map(String::from)
            .collect();
        let (levels, tab_is_level1) = Platform::draw_levels(x, lex, entry, carrier);
        Details {
            levels,
            elsewhere,
            tab_is_level1,
            stay_first: x.chance(60),
            stay_loud: x.chance(40),
            ack_gates: x.chance(50),
            reason_apart: dialog == DialogForm::Pages || x.chance(40),
            offer: x.chance(50),
            frame_role: x.chance(50),
            entry_button: x.chance(40),
            side_menu: x.chance(50),
            banner: x.chance(50),
        }
    }

    /// The labels of the way to the service page, and whether the first is the h5 tab
    /// bar's 我的 / Me.
    fn draw_levels(
        x: &mut Rng,
        lex: &words::Lexicon,
        entry: Entry,
        carrier: Carrier,
    ) -> (Vec<String>, bool) {
        let l2_or_l3: Vec<&str> = lex.level2.iter().chain(lex.level3).copied().collect();
        let mut tab_is_level1 = false;
        let levels: Vec<String> = match entry {
            Entry::Menu(depth) => {
                let mut v = match depth {
                    1 => vec![x.pick(&l2_or_l3)],
                    2 => vec![x.pick(lex.level1), x.pick(lex.level2)],
                    _ => vec![x.pick(lex.level1), x.pick(lex.level2), x.pick(lex.level3)],
                };
                if carrier == Carrier::H5 && x.chance(50) {
                    v[0] = lex.tabs[2];
                    tab_is_level1 = true;
                }
                v.into_iter().map(String::from).collect()
            }
            Entry::Hover => vec![x.pick(lex.level1).into(), x.pick(&l2_or_l3).into()],
            Entry::NewTab => vec![x.pick(&l2_or_l3).into()],
            _ => Vec::new(),
        };
        (levels, tab_is_level1)
    }

    pub fn seed(&self) -> u64 {
        self.seed
    }

    /// The drawn value of every axis, as `(axis, value)`; `chain` and `decoys` give one
    /// pair per value (`none` when empty). The axes and values are those of [`AXES`].
    pub fn axes(&self) -> Vec<(&'static str, String)> {
        let mut out = vec![
            ("state", self.state.name().to_string()),
            ("entry", self.entry.name()),
            ("place", self.place.name().to_string()),
            ("dialog", self.dialog.name().to_string()),
        ];
        let c = self.chain;
        let chain: Vec<&str> = [
            (c.retention, "retention"),
            (c.reason, "reason"),
            (c.ack, "ack"),
            (c.countdown > 0, "countdown"),
            (c.save, "save"),
            (c.bare_cancel, "bare-cancel"),
        ]
        .into_iter()
        .filter_map(|(on, name)| on.then_some(name))
        .collect();
        if chain.is_empty() {
            out.push(("chain", "none".to_string()));
        }
        out.extend(chain.into_iter().map(|v| ("chain", v.to_string())));
        out.push(("timing", format!("{}ms", self.late_ms)));
        out.push(("lang", self.lang.name().to_string()));
        if self.decoys.is_empty() {
            out.push(("decoys", "none".to_string()));
        }
        out.extend(self.decoys.iter().map(|d| ("decoys", d.id().to_string())));
        out.push(("services", self.services.len().to_string()));
        out.push(("wanted", (self.wanted + 1).to_string()));
        out.push((
            "carrier",
            match self.carrier {
                Carrier::Web => "web",
                Carrier::H5 => "h5",
            }
            .to_string(),
        ));
        out.push(("kit", self.kit.name().to_string()));
        out
    }

    /// One line: `seed 7: state=dl entry=menu2 … chain=retention+ack …`.
    pub fn describe(&self) -> String {
        let mut parts: Vec<(&str, String)> = Vec::new();
        for (axis, value) in self.axes() {
            match parts.last_mut() {
                Some((last, joined)) if *last == axis => {
                    joined.push('+');
                    joined.push_str(&value);
                }
                _ => parts.push((axis, value)),
            }
        }
        let body: Vec<String> = parts.iter().map(|(k, v)| format!("{k}={v}")).collect();
        format!("seed {}: {}", self.seed, body.join(" "))
    }

    /// The visible name of the service whose renewal is to be turned off.
    pub fn service_name(&self) -> &str {
        &self.services[self.wanted].name
    }

    /// `zh-Hans`, `zh-Hant` or `en`.
    pub fn lang(&self) -> &'static str {
        self.lang.name()
    }

    /// The platform's word for renewal: 自动续费, 自動續訂, Auto-renew…
    pub fn term(&self) -> &str {
        &self.words.term
    }

    /// What a volunteer would name the service by: its name, the renewal word, and for an
    /// agreement the agreement's name.
    pub fn keywords(&self) -> Vec<String> {
        let mut out = vec![self.service_name().to_string(), self.words.term.clone()];
        if self.state == StateForm::Agreement {
            out.push(self.words.agreement.clone());
        }
        out
    }

    /// The text the page shows once renewal is off: 已关闭自动续费, Auto-renew is now off…
    pub fn success_text(&self) -> String {
        self.words.success()
    }

    /// `/gen/{seed}/`: the first page, no login.
    pub fn start_path(&self) -> String {
        format!("{}/", self.base())
    }

    /// `web` or `h5`, as a script's `carrier:` says it.
    pub fn carrier(&self) -> &'static str {
        match self.carrier {
            Carrier::Web => "web",
            Carrier::H5 => "h5",
        }
    }

    fn base(&self) -> String {
        format!("/gen/{}", self.seed)
    }

    /// The page that shows the services.
    fn service_path(&self) -> String {
        if self.entry.direct() {
            self.start_path()
        } else {
            format!("{}/svc", self.base())
        }
    }

    /// Where the `level`-th link (1-based) of the way to the service leads.
    fn level_path(&self, level: usize) -> String {
        match self.entry {
            Entry::Menu(depth) if level < depth as usize => format!("{}/m/{level}", self.base()),
            _ => self.service_path(),
        }
    }

    /// The steps of the confirmation, in order (none for no dialog or a native one).
    fn screens(&self) -> Vec<Screen> {
        if matches!(self.dialog, DialogForm::None | DialogForm::Native) {
            return Vec::new();
        }
        let apart = self.chain.reason && self.details.reason_apart;
        let mut out = Vec::new();
        if self.chain.retention {
            out.push(Screen::Retention);
        }
        if apart {
            out.push(Screen::Reason);
        }
        out.push(Screen::Final {
            reason: self.chain.reason && !apart,
        });
        out
    }

    /// The opaque value a control carries for the page's script (like a tracking id).
    fn code(&self, action: &str) -> String {
        let mut x = kit::fnv(action) ^ self.seed.wrapping_mul(0x9e37_79b9_7f4a_7c15);
        x ^= x >> 31;
        x = x.wrapping_mul(0xbf58_476d_1ce4_e5b9);
        x ^= x >> 29;
        let mut out = String::from("a");
        for _ in 0..6 {
            const B36: &[u8] = b"0123456789abcdefghijklmnopqrstuvwxyz";
            out.push(B36[(x % 36) as usize] as char);
            x /= 36;
        }
        out
    }
}

impl std::fmt::Debug for Platform {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.describe())
    }
}

/// splitmix64: a small seeded generator whose sequence never changes with a dependency.
struct Rng(u64);

impl Rng {
    fn new(seed: u64, stream: &str) -> Rng {
        let mut rng = Rng(seed ^ kit::fnv(stream));
        rng.next();
        rng
    }

    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }

    fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.below(items.len())]
    }

    /// `n` distinct items in a random order.
    fn sample<T: Copy>(&mut self, items: &[T], n: usize) -> Vec<T> {
        let mut pool = items.to_vec();
        let mut out = Vec::new();
        while out.len() < n && !pool.is_empty() {
            let i = self.below(pool.len());
            out.push(pool.remove(i));
        }
        out
    }
}

#[cfg(test)]
mod tests;

/// Which page of a platform a request is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum View {
    Start,
    Level(usize),
    Service,
    Step(usize),
    Frame(usize),
    Order(Decoy),
    Elsewhere(usize),
}

/// The id of the confirmation screen `i`.
fn screen_id(p: &Platform, i: usize) -> String {
    format!("{}{i}", &p.code("screen")[..4])
}
