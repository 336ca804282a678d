//! The class names of the UI kits a generated platform is built with (Element, Ant Design,
//! Vant, WeUI, Bootstrap, or plain pages whose class names are CSS-module hashes), and one
//! stylesheet written against whichever names the kit uses.

use super::{Kit, Rng};

/// Class lists per role. A modifier role (`switch_on`, `sheet_open`) holds only the classes
/// it adds.
pub(super) struct Ui {
    pub accent: &'static str,
    pub radius: u8,
    pub font: &'static str,
    pub header: String,
    pub brand: String,
    pub nav: String,
    pub nav_item: String,
    pub drop_host: String,
    pub drop: String,
    pub layout: String,
    pub side: String,
    pub side_item: String,
    pub content: String,
    pub btn: String,
    pub primary: String,
    pub danger: String,
    pub warn: String,
    pub default: String,
    pub link: String,
    pub card: String,
    pub card_head: String,
    pub card_body: String,
    pub card_foot: String,
    pub line: String,
    pub key: String,
    pub tag: String,
    pub tag_on: String,
    pub tag_off: String,
    pub table: String,
    pub dl: String,
    pub switch: String,
    pub switch_on: String,
    pub switch_node: String,
    /// Whether the kit's role=switch is a `<button>` (Ant, Headless UI) rather than a `<div>`.
    pub switch_button: bool,
    pub toggle: String,
    pub check_wrap: String,
    pub check_input: String,
    pub check_label: String,
    /// Bootstrap marks its checkbox switches `role=switch`.
    pub check_role: bool,
    pub label_switch: String,
    pub label_input: String,
    pub label_box: String,
    pub mask: String,
    pub wrap: String,
    pub dialog: String,
    pub dialog_head: String,
    pub dialog_title: String,
    pub dialog_body: String,
    pub dialog_foot: String,
    pub dialog_close: String,
    pub plain_shade: String,
    pub plain_box: String,
    pub sheet: String,
    pub sheet_open: String,
    pub radio: String,
    pub checkbox: String,
    pub cells: String,
    pub cell: String,
    pub cell_title: String,
    pub cell_value: String,
    pub cell_link: String,
    pub navbar: String,
    pub tabbar: String,
    pub tabbar_item: String,
    pub alert_ok: String,
    pub hero: String,
    pub shadow_tag: &'static str,
    pub frame: String,
}

fn s(x: &str) -> String {
    x.to_string()
}

pub(super) fn ui(kit: Kit, rng: &mut Rng) -> Ui {
    match kit {
        Kit::Element => element(rng),
        Kit::Ant => ant(rng),
        Kit::Vant => vant(rng),
        Kit::Weui => weui(rng),
        Kit::Bootstrap => bootstrap(rng),
        Kit::Plain => plain(rng),
    }
}

/// Neutral names for a pop-up that says neither dialog nor modal (layer, cover, float…).
fn plain_popup(rng: &mut Rng) -> (String, String) {
    let (shade, boxed) = rng.pick(&[
        ("layui-layer-shade", "layui-layer layui-layer-page"),
        ("mask-layer", "float-card"),
        ("cover", "cover-panel"),
        ("ovl", "ovl-inner"),
    ]);
    (s(shade), s(boxed))
}

fn element(rng: &mut Rng) -> Ui {
    let (plain_shade, plain_box) = plain_popup(rng);
    Ui {
        accent: "#409eff",
        radius: 4,
        font: r#""Helvetica Neue",Helvetica,"PingFang SC","Hiragino Sans GB","Microsoft YaHei",Arial,sans-serif"#,
        header: s("el-header"),
        brand: s("logo"),
        nav: s("el-menu el-menu--horizontal"),
        nav_item: s("el-menu-item"),
        drop_host: s("el-submenu"),
        drop: s("el-menu--popup"),
        layout: s("el-container"),
        side: s("el-aside el-menu"),
        side_item: s("el-menu-item"),
        content: s("el-main"),
        btn: s("el-button"),
        primary: s("el-button el-button--primary"),
        danger: s("el-button el-button--danger"),
        warn: s("el-button el-button--warning"),
        default: s("el-button el-button--default"),
        link: s("el-button el-button--text"),
        card: s("el-card is-always-shadow"),
        card_head: s("el-card__header"),
        card_body: s("el-card__body"),
        card_foot: s("el-card__footer"),
        line: s("el-row"),
        key: s("label"),
        tag: s("el-tag el-tag--small"),
        tag_on: s("el-tag--success"),
        tag_off: s("el-tag--info"),
        table: s("el-table"),
        dl: s("el-descriptions"),
        switch: s("el-switch"),
        switch_on: s("is-checked"),
        switch_node: s("el-switch__core"),
        switch_button: false,
        toggle: s("el-button el-button--small is-plain"),
        check_wrap: s("el-checkbox"),
        check_input: s("el-checkbox__input"),
        check_label: s("el-checkbox__label"),
        check_role: false,
        label_switch: s("el-switch el-switch--label"),
        label_input: s("el-switch__input"),
        label_box: s("el-switch__core"),
        mask: s("v-modal"),
        wrap: s("el-dialog__wrapper"),
        dialog: s("el-dialog"),
        dialog_head: s("el-dialog__header"),
        dialog_title: s("el-dialog__title"),
        dialog_body: s("el-dialog__body"),
        dialog_foot: s("el-dialog__footer"),
        dialog_close: s("el-dialog__headerbtn"),
        plain_shade,
        plain_box,
        sheet: s("el-drawer btt"),
        sheet_open: s("el-drawer--open"),
        radio: s("el-radio"),
        checkbox: s("el-checkbox"),
        cells: s("el-descriptions el-descriptions--cells"),
        cell: s("el-descriptions-item"),
        cell_title: s("el-descriptions-item__label"),
        cell_value: s("el-descriptions-item__content"),
        cell_link: s("is-link"),
        navbar: s("el-page-header"),
        tabbar: s("el-tabs__nav el-tabs__nav--bottom"),
        tabbar_item: s("el-tabs__item"),
        alert_ok: s("el-alert el-alert--success is-light"),
        hero: s("el-card banner"),
        shadow_tag: "el-switch-x",
        frame: s("el-dialog__frame"),
    }
}

fn ant(rng: &mut Rng) -> Ui {
    let (plain_shade, plain_box) = plain_popup(rng);
    Ui {
        accent: "#1677ff",
        radius: 6,
        font: r#"-apple-system,BlinkMacSystemFont,"Segoe UI",Roboto,"PingFang SC","Microsoft YaHei",sans-serif"#,
        header: s("ant-layout-header"),
        brand: s("ant-logo"),
        nav: s("ant-menu ant-menu-horizontal ant-menu-light"),
        nav_item: s("ant-menu-item"),
        drop_host: s("ant-menu-submenu"),
        drop: s("ant-menu-submenu-popup"),
        layout: s("ant-layout ant-layout-has-sider"),
        side: s("ant-layout-sider ant-menu-inline"),
        side_item: s("ant-menu-item"),
        content: s("ant-layout-content"),
        btn: s("ant-btn"),
        primary: s("ant-btn ant-btn-primary"),
        danger: s("ant-btn ant-btn-primary ant-btn-dangerous"),
        warn: s("ant-btn ant-btn-primary ant-btn-gold"),
        default: s("ant-btn ant-btn-default"),
        link: s("ant-btn ant-btn-link"),
        card: s("ant-card ant-card-bordered"),
        card_head: s("ant-card-head"),
        card_body: s("ant-card-body"),
        card_foot: s("ant-card-actions"),
        line: s("ant-row"),
        key: s("ant-col-label"),
        tag: s("ant-tag"),
        tag_on: s("ant-tag-green"),
        tag_off: s("ant-tag-default"),
        table: s("ant-table"),
        dl: s("ant-descriptions-view"),
        switch: s("ant-switch"),
        switch_on: s("ant-switch-checked"),
        switch_node: s("ant-switch-handle"),
        switch_button: true,
        toggle: s("ant-btn ant-btn-default ant-btn-toggle"),
        check_wrap: s("ant-checkbox-wrapper"),
        check_input: s("ant-checkbox-input"),
        check_label: s("ant-checkbox-label"),
        check_role: false,
        label_switch: s("ant-switch-wrapper"),
        label_input: s("ant-switch-input"),
        label_box: s("ant-switch-inner"),
        mask: s("ant-modal-mask"),
        wrap: s("ant-modal-wrap"),
        dialog: s("ant-modal ant-modal-content"),
        dialog_head: s("ant-modal-header"),
        dialog_title: s("ant-modal-title"),
        dialog_body: s("ant-modal-body"),
        dialog_foot: s("ant-modal-footer"),
        dialog_close: s("ant-modal-close"),
        plain_shade,
        plain_box,
        sheet: s("ant-drawer-content-wrapper ant-drawer-bottom"),
        sheet_open: s("ant-drawer-open"),
        radio: s("ant-radio-wrapper"),
        checkbox: s("ant-checkbox-wrapper"),
        cells: s("ant-list ant-list-bordered"),
        cell: s("ant-list-item"),
        cell_title: s("ant-list-item-meta-title"),
        cell_value: s("ant-list-item-action"),
        cell_link: s("ant-list-item-link"),
        navbar: s("ant-page-header"),
        tabbar: s("ant-tabs-nav ant-tabs-bottom"),
        tabbar_item: s("ant-tabs-tab"),
        alert_ok: s("ant-alert ant-alert-success"),
        hero: s("ant-card ant-card-cover"),
        shadow_tag: "ant-toggle",
        frame: s("ant-modal-frame"),
    }
}

fn vant(rng: &mut Rng) -> Ui {
    let (plain_shade, plain_box) = plain_popup(rng);
    Ui {
        accent: "#1989fa",
        radius: 8,
        font: r#"-apple-system,BlinkMacSystemFont,"Helvetica Neue",Helvetica,Segoe UI,Arial,Roboto,"PingFang SC",miui,"Hiragino Sans GB","Microsoft Yahei",sans-serif"#,
        header: s("van-nav-bar van-hairline--bottom"),
        brand: s("van-nav-bar__title"),
        nav: s("van-tabs__nav"),
        nav_item: s("van-tab"),
        drop_host: s("van-dropdown-menu__item"),
        drop: s("van-dropdown-item__content"),
        layout: s("van-layout"),
        side: s("van-sidebar"),
        side_item: s("van-sidebar-item"),
        content: s("van-main"),
        btn: s("van-button"),
        primary: s("van-button van-button--primary van-button--round"),
        danger: s("van-button van-button--danger van-button--round"),
        warn: s("van-button van-button--warning van-button--round"),
        default: s("van-button van-button--default van-button--round"),
        link: s("van-button van-button--plain van-button--hairline van-button--mini"),
        card: s("van-cell-group van-cell-group--inset"),
        card_head: s("van-cell-group__title"),
        card_body: s("van-cell-group__body"),
        card_foot: s("van-cell-group__foot"),
        line: s("van-cell"),
        key: s("van-cell__title"),
        tag: s("van-tag"),
        tag_on: s("van-tag--success"),
        tag_off: s("van-tag--default"),
        table: s("van-table"),
        dl: s("van-descriptions"),
        switch: s("van-switch"),
        switch_on: s("van-switch--on"),
        switch_node: s("van-switch__node"),
        switch_button: false,
        toggle: s("van-button van-button--small van-button--toggle"),
        check_wrap: s("van-checkbox"),
        check_input: s("van-checkbox__icon"),
        check_label: s("van-checkbox__label"),
        check_role: false,
        label_switch: s("van-switch-label"),
        label_input: s("van-switch__input"),
        label_box: s("van-switch__track"),
        mask: s("van-overlay"),
        wrap: s("van-popup-wrapper"),
        dialog: s("van-popup van-popup--center van-dialog"),
        dialog_head: s("van-dialog__header"),
        dialog_title: s("van-dialog__title"),
        dialog_body: s("van-dialog__content"),
        dialog_foot: s("van-dialog__footer"),
        dialog_close: s("van-popup__close-icon"),
        plain_shade,
        plain_box,
        sheet: s("van-popup van-popup--bottom van-action-sheet"),
        sheet_open: s("van-popup--visible"),
        radio: s("van-radio"),
        checkbox: s("van-checkbox"),
        cells: s("van-cell-group"),
        cell: s("van-cell"),
        cell_title: s("van-cell__title"),
        cell_value: s("van-cell__value"),
        cell_link: s("van-cell--clickable"),
        navbar: s("van-nav-bar"),
        tabbar: s("van-tabbar van-tabbar--fixed"),
        tabbar_item: s("van-tabbar-item"),
        alert_ok: s("van-notice-bar van-notice-bar--success"),
        hero: s("van-swipe-item banner"),
        shadow_tag: "van-switch-ce",
        frame: s("van-popup-frame"),
    }
}

fn weui(rng: &mut Rng) -> Ui {
    let (plain_shade, plain_box) = plain_popup(rng);
    Ui {
        accent: "#07c160",
        radius: 8,
        font: r#"system-ui,-apple-system,BlinkMacSystemFont,"Helvetica Neue","PingFang SC","Hiragino Sans GB","Microsoft YaHei UI",Arial,sans-serif"#,
        header: s("weui-navigation-bar"),
        brand: s("weui-navigation-bar__center"),
        nav: s("weui-navbar"),
        nav_item: s("weui-navbar__item"),
        drop_host: s("weui-actionsheet-host"),
        drop: s("weui-actionsheet__menu"),
        layout: s("page"),
        side: s("weui-cells weui-cells_side"),
        side_item: s("weui-cell weui-cell_access"),
        content: s("page__bd"),
        btn: s("weui-btn"),
        primary: s("weui-btn weui-btn_primary weui-btn_mini"),
        danger: s("weui-btn weui-btn_warn weui-btn_mini"),
        warn: s("weui-btn weui-btn_primary weui-btn_mini weui-btn_gold"),
        default: s("weui-btn weui-btn_default weui-btn_mini"),
        link: s("weui-link"),
        card: s("weui-panel weui-panel_access"),
        card_head: s("weui-panel__hd"),
        card_body: s("weui-panel__bd"),
        card_foot: s("weui-panel__ft"),
        line: s("weui-media-box__info"),
        key: s("weui-media-box__info__meta"),
        tag: s("weui-badge"),
        tag_on: s("weui-badge_success"),
        tag_off: s("weui-badge_default"),
        table: s("weui-table"),
        dl: s("weui-form-preview__bd"),
        switch: s("weui-switch-div"),
        switch_on: s("weui-switch-div_on"),
        switch_node: s("weui-switch-div__knob"),
        switch_button: false,
        toggle: s("weui-btn weui-btn_default weui-btn_mini weui-btn_toggle"),
        check_wrap: s("weui-check__label"),
        check_input: s("weui-switch"),
        check_label: s("weui-cell__bd"),
        check_role: false,
        label_switch: s("weui-switch-cp"),
        label_input: s("weui-switch-cp__input"),
        label_box: s("weui-switch-cp__box"),
        mask: s("weui-mask"),
        wrap: s("weui-dialog__wrp"),
        dialog: s("weui-dialog"),
        dialog_head: s("weui-dialog__hd"),
        dialog_title: s("weui-dialog__title"),
        dialog_body: s("weui-dialog__bd"),
        dialog_foot: s("weui-dialog__ft"),
        dialog_close: s("weui-icon-btn weui-icon-btn_close"),
        plain_shade,
        plain_box,
        sheet: s("weui-half-screen-dialog"),
        sheet_open: s("weui-half-screen-dialog_show"),
        radio: s("weui-cell weui-check__label"),
        checkbox: s("weui-agree"),
        cells: s("weui-cells"),
        cell: s("weui-cell"),
        cell_title: s("weui-cell__bd"),
        cell_value: s("weui-cell__ft"),
        cell_link: s("weui-cell_access"),
        navbar: s("weui-navigation-bar__inner"),
        tabbar: s("weui-tabbar"),
        tabbar_item: s("weui-tabbar__item"),
        alert_ok: s("weui-toptips weui-toptips_success"),
        hero: s("weui-panel weui-banner"),
        shadow_tag: "wx-switch-el",
        frame: s("weui-frame"),
    }
}

fn bootstrap(rng: &mut Rng) -> Ui {
    let (plain_shade, plain_box) = plain_popup(rng);
    Ui {
        accent: "#0d6efd",
        radius: 6,
        font: r#"system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue","Noto Sans","Liberation Sans",Arial,sans-serif"#,
        header: s("navbar navbar-expand-lg bg-body-tertiary"),
        brand: s("navbar-brand"),
        nav: s("navbar-nav"),
        nav_item: s("nav-link"),
        drop_host: s("nav-item dropdown"),
        drop: s("dropdown-menu"),
        layout: s("container d-flex"),
        side: s("list-group list-group-flush"),
        side_item: s("list-group-item list-group-item-action"),
        content: s("flex-grow-1"),
        btn: s("btn"),
        primary: s("btn btn-primary"),
        danger: s("btn btn-danger"),
        warn: s("btn btn-warning"),
        default: s("btn btn-outline-secondary"),
        link: s("btn btn-link btn-sm"),
        card: s("card"),
        card_head: s("card-header"),
        card_body: s("card-body"),
        card_foot: s("card-footer"),
        line: s("d-flex align-items-center gap-2"),
        key: s("text-body-secondary"),
        tag: s("badge rounded-pill"),
        tag_on: s("text-bg-success"),
        tag_off: s("text-bg-secondary"),
        table: s("table table-hover"),
        dl: s("row"),
        switch: s("switch-toggle"),
        switch_on: s("active"),
        switch_node: s("switch-knob"),
        switch_button: true,
        toggle: s("btn btn-outline-primary btn-sm"),
        check_wrap: s("form-check form-switch"),
        check_input: s("form-check-input"),
        check_label: s("form-check-label"),
        check_role: true,
        label_switch: s("switch-label"),
        label_input: s("visually-hidden"),
        label_box: s("switch-slider"),
        mask: s("modal-backdrop fade show"),
        wrap: s("modal fade show d-block"),
        dialog: s("modal-content"),
        dialog_head: s("modal-header"),
        dialog_title: s("modal-title h5"),
        dialog_body: s("modal-body"),
        dialog_foot: s("modal-footer"),
        dialog_close: s("btn-close"),
        plain_shade,
        plain_box,
        sheet: s("offcanvas offcanvas-bottom"),
        sheet_open: s("show"),
        radio: s("form-check"),
        checkbox: s("form-check"),
        cells: s("list-group"),
        cell: s("list-group-item d-flex justify-content-between"),
        cell_title: s("me-auto"),
        cell_value: s("text-body-secondary"),
        cell_link: s("list-group-item-action"),
        navbar: s("navbar bg-body-tertiary"),
        tabbar: s("nav nav-pills nav-fill fixed-bottom"),
        tabbar_item: s("nav-link"),
        alert_ok: s("alert alert-success"),
        hero: s("p-4 bg-body-tertiary rounded-3 jumbotron"),
        shadow_tag: "bs-toggle",
        frame: s("modal-frame"),
    }
}

/// Hand-written pages bundled with CSS modules: every class is `Component_role__hash`.
fn plain(rng: &mut Rng) -> Ui {
    let salt = rng.next();
    let h = |component: &str, role: &str| {
        let mut x = salt ^ fnv(component) ^ fnv(role).rotate_left(7);
        let mut tail = String::new();
        for _ in 0..5 {
            const B36: &[u8] = b"abcdefghijklmnopqrstuvwxyz0123456789";
            tail.push(B36[(x % 36) as usize] as char);
            x /= 36;
        }
        format!("{component}_{role}__{tail}")
    };
    let (plain_shade, plain_box) = (h("Layer", "shade"), h("Layer", "panel"));
    Ui {
        accent: rng.pick(&["#ff5a5f", "#7c3aed", "#0f9d58", "#ff6a00", "#e11d48"]),
        radius: rng.pick(&[2, 10, 14]),
        font: r#""Noto Sans CJK SC","Noto Sans SC","PingFang SC","Microsoft YaHei",system-ui,sans-serif"#,
        header: h("Header", "root"),
        brand: h("Header", "logo"),
        nav: h("Nav", "list"),
        nav_item: h("Nav", "item"),
        drop_host: h("Nav", "more"),
        drop: h("Nav", "popover"),
        layout: h("Layout", "root"),
        side: h("Sidebar", "root"),
        side_item: h("Sidebar", "item"),
        content: h("Layout", "main"),
        btn: h("Button", "root"),
        primary: format!("{} {}", h("Button", "root"), h("Button", "primary")),
        danger: format!("{} {}", h("Button", "root"), h("Button", "hot")),
        warn: format!("{} {}", h("Button", "root"), h("Button", "gold")),
        default: format!("{} {}", h("Button", "root"), h("Button", "ghost")),
        link: h("TextLink", "root"),
        card: h("Card", "root"),
        card_head: h("Card", "header"),
        card_body: h("Card", "body"),
        card_foot: h("Card", "footer"),
        line: h("Row", "root"),
        key: h("Row", "label"),
        tag: h("Pill", "root"),
        tag_on: h("Pill", "green"),
        tag_off: h("Pill", "grey"),
        table: h("Table", "root"),
        dl: h("Details", "list"),
        switch: h("Switch", "root"),
        switch_on: h("Switch", "checked"),
        switch_node: h("Switch", "thumb"),
        switch_button: true,
        toggle: h("Toggle", "root"),
        check_wrap: h("Field", "root"),
        check_input: h("Field", "input"),
        check_label: h("Field", "label"),
        check_role: false,
        label_switch: h("Switch", "label"),
        label_input: h("Switch", "input"),
        label_box: h("Switch", "track"),
        mask: h("Overlay", "backdrop"),
        wrap: h("Overlay", "center"),
        dialog: h("Panel", "root"),
        dialog_head: h("Panel", "head"),
        dialog_title: h("Panel", "title"),
        dialog_body: h("Panel", "body"),
        dialog_foot: h("Panel", "actions"),
        dialog_close: h("Panel", "x"),
        plain_shade,
        plain_box,
        sheet: h("Sheet", "root"),
        sheet_open: h("Sheet", "in"),
        radio: h("Choice", "root"),
        checkbox: h("Agree", "root"),
        cells: h("List", "root"),
        cell: h("List", "item"),
        cell_title: h("List", "title"),
        cell_value: h("List", "value"),
        cell_link: h("List", "link"),
        navbar: h("TopBar", "root"),
        tabbar: h("TabBar", "root"),
        tabbar_item: h("TabBar", "item"),
        alert_ok: h("Notice", "ok"),
        hero: h("Hero", "root"),
        shadow_tag: "x-toggle",
        frame: h("Layer", "frame"),
    }
}

pub(super) fn fnv(s: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in s.bytes() {
        h ^= b as u64;
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

/// `.a.b` for the class list `a b`.
pub(super) fn sel(classes: &str) -> String {
    classes
        .split_whitespace()
        .map(|c| format!(".{c}"))
        .collect()
}

impl Ui {
    /// The stylesheet of a page: one layout for desktop, one for phones.
    pub(super) fn css(&self, mobile: bool) -> String {
        [
            self.css_page(mobile),
            self.css_layout(),
            self.css_buttons(),
            self.css_cards(),
            self.css_switches(),
            self.css_dialogs(),
            self.css_phone(),
        ]
        .join("\n")
    }

    /// The page itself: body, links, headings and messages.
    fn css_page(&self, mobile: bool) -> String {
        let a = self.accent;
        let font = self.font;
        let page = if mobile {
            "body{max-width:540px;margin:0 auto;padding-bottom:64px;background:#f7f8fa}main{padding:10px 12px}"
        } else {
            "body{background:#f5f7fa}"
        };
        format!(
            r#"*{{box-sizing:border-box}}body{{margin:0;font:14px/1.6 {font};color:#303133}}{page}
a{{color:{a};text-decoration:none}}h1{{font-size:20px;margin:4px 0 8px}}h2{{font-size:16px;margin:0}}p{{margin:6px 0}}
.muted{{color:#909399;font-size:13px}}.err{{color:#e34d59;font-size:13px;min-height:18px;margin-top:6px}}"#,
        )
    }

    /// The header with its menus, and the layout with its side menu.
    fn css_layout(&self) -> String {
        let a = self.accent;
        let r = self.radius;
        format!(
            r#"{header}{{display:flex;align-items:center;gap:24px;height:60px;padding:0 28px;background:#fff;border-bottom:1px solid #ebeef5}}
{brand}{{font-size:20px;font-weight:700;color:{a}}}.who{{margin-left:auto;color:#909399;font-size:13px}}
{nav}{{display:flex;gap:2px;margin:0;padding:0;list-style:none}}{nav_item}{{display:block;padding:0 14px;line-height:60px;color:#303133}}
{drop_host}{{position:relative}}{drop}{{display:none;position:absolute;top:100%;left:0;min-width:170px;background:#fff;box-shadow:0 6px 16px rgba(0,0,0,.12);border-radius:{r}px;z-index:50;padding:6px 0}}
{drop_host}:hover {drop},{drop_host}:focus-within {drop}{{display:block}}{drop} a{{display:block;padding:8px 18px;color:#303133;line-height:1.6}}
{layout}{{display:flex;gap:20px;max-width:1100px;margin:20px auto;padding:0 16px}}{content}{{flex:1;min-width:0}}
{side}{{width:200px;flex:none;align-self:flex-start;background:#fff;border-radius:{r}px;padding:8px 0;margin:0}}{side_item}{{display:block;padding:10px 22px;color:#606266}}"#,
            header = sel(&self.header),
            brand = sel(&self.brand),
            nav = sel(&self.nav),
            nav_item = sel(&self.nav_item),
            drop_host = sel(&self.drop_host),
            drop = sel(&self.drop),
            layout = sel(&self.layout),
            content = sel(&self.content),
            side = sel(&self.side),
            side_item = sel(&self.side_item),
        )
    }

    /// The buttons: primary, danger, warning, default and link.
    fn css_buttons(&self) -> String {
        let a = self.accent;
        let r = self.radius;
        format!(
            r#"{btn}{{display:inline-flex;align-items:center;justify-content:center;gap:4px;padding:7px 16px;font-size:14px;line-height:1.4;border:1px solid #dcdfe6;border-radius:{r}px;background:#fff;color:#606266;cursor:pointer;white-space:nowrap}}
{btn}[disabled]{{opacity:.5;cursor:not-allowed}}{primary}{{background:{a};border-color:{a};color:#fff}}
{danger}{{background:linear-gradient(90deg,#ff7a45,#f5222d);border-color:#f5222d;color:#fff;font-weight:600;box-shadow:0 3px 10px rgba(245,34,45,.3)}}
{warn}{{background:linear-gradient(90deg,#f7d48b,#e9b352);border-color:#e9b352;color:#6b3d00;font-weight:600}}
{default}{{background:#fff;color:#606266}}{link}{{display:inline-block;border:0;background:none;color:#a8abb2;font-size:12px;padding:2px 4px;cursor:pointer}}"#,
            btn = sel(&self.btn),
            primary = sel(&self.primary),
            danger = sel(&self.danger),
            warn = sel(&self.warn),
            default = sel(&self.default),
            link = sel(&self.link),
        )
    }

    /// The cards with their lines, tags, tables and description lists.
    fn css_cards(&self) -> String {
        let r = self.radius;
        format!(
            r#"{card}{{background:#fff;border:1px solid #ebeef5;border-radius:{r}px;margin:0 0 16px;overflow:hidden}}{card_head}{{display:flex;align-items:baseline;gap:10px;padding:12px 18px;border-bottom:1px solid #f2f3f5;font-weight:600}}
{card_body}{{padding:12px 18px}}{card_foot}{{display:flex;gap:10px;align-items:center;justify-content:flex-end;padding:10px 18px;border-top:1px solid #f2f3f5}}
{line}{{display:flex;align-items:center;gap:12px;padding:7px 0;flex-wrap:wrap}}{key}{{color:#909399;min-width:96px}}
{tag}{{display:inline-block;padding:0 8px;border-radius:10px;font-size:12px;line-height:20px;background:#f4f4f5;color:#909399}}{tag_on}{{background:#f0f9eb;color:#67c23a}}{tag_off}{{background:#f4f4f5;color:#909399}}
{table}{{width:100%;border-collapse:collapse;background:#fff}}{table} th,{table} td{{padding:11px 12px;border-bottom:1px solid #ebeef5;text-align:left}}{table} th{{color:#909399;font-weight:500;background:#fafafa}}
{dl}{{display:grid;grid-template-columns:110px 1fr;gap:8px 16px;margin:0}}{dl} dt{{color:#909399}}{dl} dd{{margin:0;display:flex;gap:10px;align-items:center;flex-wrap:wrap}}"#,
            card = sel(&self.card),
            card_head = sel(&self.card_head),
            card_body = sel(&self.card_body),
            card_foot = sel(&self.card_foot),
            line = sel(&self.line),
            key = sel(&self.key),
            tag = sel(&self.tag),
            tag_on = sel(&self.tag_on),
            tag_off = sel(&self.tag_off),
            table = sel(&self.table),
            dl = sel(&self.dl),
        )
    }

    /// The switches: role=switch, toggle buttons, checkboxes and label switches.
    fn css_switches(&self) -> String {
        let a = self.accent;
        format!(
            r#"{switch}{{position:relative;display:inline-block;width:44px;height:22px;padding:0;border:0;border-radius:11px;background:#dcdfe6;cursor:pointer;vertical-align:middle;transition:background .2s}}
{switch}{switch_on},{switch}[aria-checked=true]{{background:{a}}}{knob}{{position:absolute;top:2px;left:2px;width:18px;height:18px;border-radius:50%;background:#fff;transition:left .2s}}{switch}{switch_on} {knob},{switch}[aria-checked=true] {knob}{{left:24px}}
{toggle}[aria-pressed=true]{{background:{a};border-color:{a};color:#fff}}
{check_wrap}{{display:flex;align-items:center;gap:8px;padding:7px 0}}{check_input}{{width:18px;height:18px;margin:0;accent-color:{a};cursor:pointer}}
{label_switch}{{position:relative;display:inline-block;width:48px;height:26px;cursor:pointer;vertical-align:middle}}{label_input}{{position:absolute;opacity:0;width:1px;height:1px;margin:0;overflow:hidden}}
{label_box}{{position:absolute;inset:0;border-radius:13px;background:#e5e5e5;transition:background .2s}}{label_box}::after{{content:"";position:absolute;top:2px;left:2px;width:22px;height:22px;border-radius:50%;background:#fff;box-shadow:0 1px 3px rgba(0,0,0,.3);transition:left .2s}}
{label_input}:checked+{label_box}{{background:{a}}}{label_input}:checked+{label_box}::after{{left:24px}}"#,
            switch = sel(&self.switch),
            switch_on = sel(&self.switch_on),
            knob = sel(&self.switch_node),
            toggle = sel(&self.toggle),
            check_wrap = sel(&self.check_wrap),
            check_input = sel(&self.check_input),
            label_switch = sel(&self.label_switch),
            label_input = sel(&self.label_input),
            label_box = sel(&self.label_box),
        )
    }

    /// The dialogs, plain boxes, bottom sheets and their radios and checkboxes.
    fn css_dialogs(&self) -> String {
        let r = self.radius;
        format!(
            r#"{mask}{{position:fixed;inset:0;background:rgba(0,0,0,.5);z-index:1000}}{wrap}{{position:fixed;inset:0;display:flex;align-items:center;justify-content:center;z-index:1001}}
{dialog}{{position:relative;background:#fff;border-radius:{r}px;width:min(440px,92vw);box-shadow:0 12px 32px rgba(0,0,0,.2);margin:0}}dialog{dialog}{{border:0;padding:0}}dialog::backdrop{{background:rgba(0,0,0,.45)}}
{dialog_head}{{padding:18px 20px 6px}}{dialog_title}{{font-size:17px;font-weight:600;color:#303133}}{dialog_body}{{padding:8px 20px 10px;color:#606266}}
{dialog_foot}{{display:flex;gap:10px;justify-content:flex-end;padding:10px 20px 18px}}{close}{{position:absolute;top:12px;right:14px;border:0;background:none;font-size:18px;color:#909399;cursor:pointer}}
{shade}{{position:fixed;inset:0;background:rgba(0,0,0,.55);display:flex;align-items:center;justify-content:center;z-index:1000}}{panel}{{background:#fff;border-radius:{r}px;width:min(420px,90vw);padding:22px 22px 16px;position:relative}}
{panel} .acts{{display:flex;gap:10px;justify-content:flex-end;margin-top:14px}}
{sheet}{{position:fixed;left:0;right:0;bottom:0;background:#fff;border-radius:14px 14px 0 0;padding:18px 18px 24px;z-index:1001;transform:translateY(100%);visibility:hidden;transition:transform .3s ease,visibility .3s}}
{sheet}{sheet_open}{{transform:none;visibility:visible}}{sheet} .acts{{display:flex;flex-direction:column;gap:10px;margin-top:14px}}
{radio},{checkbox}{{display:flex;align-items:center;gap:8px;padding:6px 0;cursor:pointer}}"#,
            mask = sel(&self.mask),
            wrap = sel(&self.wrap),
            dialog = sel(&self.dialog),
            dialog_head = sel(&self.dialog_head),
            dialog_title = sel(&self.dialog_title),
            dialog_body = sel(&self.dialog_body),
            dialog_foot = sel(&self.dialog_foot),
            close = sel(&self.dialog_close),
            shade = sel(&self.plain_shade),
            panel = sel(&self.plain_box),
            sheet = sel(&self.sheet),
            sheet_open = sel(&self.sheet_open),
            radio = sel(&self.radio),
            checkbox = sel(&self.checkbox),
        )
    }

    /// The cells, bars, alerts and banners of a phone page, the tabs and the footer.
    fn css_phone(&self) -> String {
        let r = self.radius;
        format!(
            r#"{cells}{{background:#fff;border-radius:{r}px;margin:0 0 12px;overflow:hidden}}{cell}{{display:flex;align-items:center;justify-content:space-between;gap:10px;padding:12px 16px;border-bottom:1px solid #f2f3f5}}
{cell_title}{{color:#323233;flex:1}}{cell_value}{{color:#969799;display:flex;gap:8px;align-items:center}}{cell}{cell_link}::after{{content:"›";color:#c8c9cc;font-size:18px}}
{navbar}{{position:sticky;top:0;z-index:10;display:flex;align-items:center;justify-content:center;height:46px;background:#fff;font-weight:600;border-bottom:1px solid #ebedf0}}
{tabbar}{{position:fixed;left:0;right:0;bottom:0;height:52px;display:flex;margin:0;padding:0;background:#fff;border-top:1px solid #ebedf0;z-index:20}}{tabbar_item}{{flex:1;display:flex;align-items:center;justify-content:center;color:#646566}}
{alert_ok}{{display:block;background:#f0f9eb;color:#3e8e1f;border:1px solid #e1f3d8;border-radius:{r}px;padding:10px 14px;margin:0 0 14px}}
{hero}{{display:flex;align-items:center;justify-content:space-between;gap:16px;padding:20px 22px;margin:0 0 16px;border-radius:{r}px;background:linear-gradient(120deg,#2b2f3a,#4a3f2c);color:#f5d9a0}}
.tabs{{display:flex;gap:22px;border-bottom:1px solid #ebeef5;margin:0 0 14px}}.tabs a{{padding:8px 0;color:#606266}}
footer{{text-align:center;color:#a8abb2;font-size:12px;margin:28px 0}}"#,
            cells = sel(&self.cells),
            cell = sel(&self.cell),
            cell_title = sel(&self.cell_title),
            cell_value = sel(&self.cell_value),
            cell_link = sel(&self.cell_link),
            navbar = sel(&self.navbar),
            tabbar = sel(&self.tabbar),
            tabbar_item = sel(&self.tabbar_item),
            alert_ok = sel(&self.alert_ok),
            hero = sel(&self.hero),
        )
    }
}
