//! What an element's words mean: the intents of DESIGN.md §4, in one place.
//!
//! Text is normalised first (full-width → half-width, traditional → simplified for the
//! characters these pages use, lower case, no spaces or decorations), then matched against
//! regexes compiled once. Order matters and is the point of this file: "stay" phrases are
//! checked before "cancel" (暂不取消 is not a cancellation), cancellation before decoys
//! (取消自动续费 contains 续费), navigation labels before decoys (续费管理 is a menu, not a
//! renewal), and a bare 取消 is judged by the dialog it sits in.

use std::sync::LazyLock;

use regex::Regex;
use serde::{Deserialize, Serialize};

use super::snapshot::{Candidate, DialogContext};

#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    Serialize,
    Deserialize,
    PartialOrd,
    Ord,
    schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Intent {
    CancelRenewal,
    CancelMembership,
    Navigate,
    Proceed,
    Stay,
    Decoy,
    Acknowledge,
    Reason,
    /// A bare 取消 / Cancel / 关闭 outside any dialog: it could mean either.
    Ambiguous,
    Neutral,
}

impl Intent {
    /// Clicking it carries the cancellation forward: it mutates.
    pub fn is_commit(self) -> bool {
        matches!(
            self,
            Intent::CancelRenewal | Intent::CancelMembership | Intent::Proceed
        )
    }

    /// The guard never clicks these during a change.
    pub fn is_forbidden(self) -> bool {
        matches!(self, Intent::Decoy | Intent::Stay | Intent::Ambiguous)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Intent::CancelRenewal => "cancel_renewal",
            Intent::CancelMembership => "cancel_membership",
            Intent::Navigate => "navigate",
            Intent::Proceed => "proceed",
            Intent::Stay => "stay",
            Intent::Decoy => "decoy",
            Intent::Acknowledge => "acknowledge",
            Intent::Reason => "reason",
            Intent::Ambiguous => "ambiguous",
            Intent::Neutral => "neutral",
        }
    }
}

fn re(pattern: &str) -> Regex {
    Regex::new(pattern).expect("lexicon patterns are valid")
}

static STAY: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"^(我?再想想|我?再考虑(一下)?|暂不(取消|关闭|解约|退订)?|不(取消|关闭|退订)了|继续(享受|使用|保留)\S*|保留\S*|no\S*keep\S*|留下(来)?|返回|不了|放弃(取消)?|先不\S*|我再看看|keep\S*|notnow|nevermind\S*|goback\S*|no-?goback\S*|back|stay\S*|maybelater|no-?thanks|dontcancel\S*|don'tcancel\S*|否-?返回)$",
    )
});
static CANCEL_MEMBERSHIP: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(取消会员|立即解约|退订会员|注销会员|终止会员|退出会员|cancel(my|your|this)?(membership|plan)|endmembership|endsubscription|requestcancel(l)?ation)",
    )
});
static CANCEL_RENEWAL: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"((关闭|取消|停止|终止)(自动|连续)?(续费|续订|包月|包年|包季|扣费|扣款|订阅)|不再(自动)?(续费|续订|扣费|扣款)|解约|(取消|解除)签约|退订|解除(自动)?(续费|扣费|代扣)|cancel(my)?subscription|(turnoff|cancel|disable|stop|end)(the)?(auto-?|automatic(ally)?)renew(al|ing)?|unsubscribe)",
    )
});
static NAV_LABEL: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"^(自动续费管理|续费管理|续费设置|续费设定|续费开关|自动续费|自动续订|(支付|付款)(设置|设定)|订阅管理|扣费管理|自动扣费|免密支付|billingsettings|managesubscription|auto-?renew(al)?)(已开通|未开通|已开启|已关闭|开启|关闭|已签约|已解约|on|off)?$",
    )
});
/// Lists of what happened (购买记录, 付款紀錄, Billing history): places to look, not actions.
static RECORDS: LazyLock<Regex> =
    LazyLock::new(|| re(r"(记录|明细|历史|账单|history|records|invoices?|receipts?)$"));
static DECOY: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(退款|refund|downgrade|立即续费|马上续费|^续费|(抢|换|加|秒)购|\d+%off|andsave|^save\d|switchto(annual|yearly)|续费\d+|^续订|升级|upgrade|开通|开启(自动)?续费|打开(自动)?续费|恢复(自动)?续费|充值|购买|^buy|订购|^支付|立即支付|去支付|确认支付|领取|优惠券|^pause|renewnow|^subscribe|^resubscribe|^renew$|立即开通|再续|重新(订阅|开通|订购)|(并|和)(支付|开通|购买|订购|续费)|\d+(\.\d+)?折|^(update|change|switch)(plan|to|your|billing)|(改为|改成|切换|转为|换成)(年缴|年付|包年|年费|年卡|连续包年)|省\d+%|立省|^switch$|^renew|rejoin|re-?subscribe|^ordernew|buymore|getmore|^deleteaccount|注销账号|删除账号)",
    )
});
static PROCEED: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"^(是的?(取消|关闭|解约|退订)?|忍痛(取消|离开|关闭)|(cancel|取消)anyway|nothanks\S*cancel\S*|确认取消|仍要取消|仍然取消|依然取消|(仍要|仍然|依然|坚持|确认|确定|继续)(取消|关闭|解约|退订|停止|解除)\S{0,8}|残忍(离开|取消|关闭)|狠心(取消|离开|关闭)|确定|确认|好的?|我知道了|知道了|提交|保存|下一步|继续|ok|okay|confirm\S*|yes\S*|continue\S*|done|submit|save|savechanges|apply|next|proceed|turn(it)?off|switch(it)?off|disable|finishcancel\S*)$",
    )
});
static ACKNOWLEDGE: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(我已(了解|阅读|知晓|知悉|明白)|已知晓|已了解|同意|iunderstand|ihaveread|iagree|iacknowledge)",
    )
});
static REASON: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"^(不再需要|服务不满意|价格太贵|太贵了?|不常用|使用频率低|很少使用|体验不好|内容不够|其他原因|其它|其他|nolongerneeded|tooexpensive|notusingit|other|dissatisfied\S*)$",
    )
});
static NAVIGATE: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(^查看详情$|^详情$|^我的\S{1,4}$|^\S{2,4}中心$|会员中心|用户中心|我的权益|^我的$|当前会员|服务详情|修改套餐|续费管理|会员设置|自动续费管理|^设置$|^设定$|^会员$|(支付|付款|会员|账户|账号)(设置|设定)|账号与安全|账户与安全|账户设置|账号设置|^更多|更多$|^管理|管理会员|会员管理|帮助中心|常见问题|续费设置|订单|个人中心|^vip会员|剩余\d+天|^account|^settings$|^billing|^manage|^more$|^membership|^subscriptions?$|^[⋯…]+$|^profile|^my[a-z]{0,14}$|^payments?$|^payment(settings|methods?)$|^\S{1,4}详情$|^[a-z]{0,10}details$|^me$|^dashboard$|^overview$|^plans?$|^services$|^usercenter|^个人)",
    )
});
static BARE_DISMISS: LazyLock<Regex> =
    LazyLock::new(|| re(r"^(取消|cancel|关闭|close|[x×✕╳]|否|no)$"));
/// A dialog whose question is about the change itself (so its 确定 goes ahead and its bare
/// 取消 keeps things as they are).
static CHANGE_QUESTION: LazyLock<Regex> = LazyLock::new(|| {
    re(r"(取消|关闭|解约|退订|停止|终止|离开|原因|cancel|turnoff|unsubscribe|end|leav|reason)")
});

/// Words that pay, whatever proceed word they come with.
static PAYING: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(purchase|andpay|paynow|^pay$|^pay(\d|¥|\$|us|with)|checkout|placeorder|订购|购买|^支付|立即支付|去支付|确认支付|^付款|立即付款|确认付款|去付款|下单|充值)",
    )
});

/// Words that proceed only in a dialog about the change; elsewhere they are just buttons.
const GENERIC_PROCEED: &[&str] = &[
    "确定",
    "确认",
    "是",
    "是的",
    "好",
    "好的",
    "ok",
    "okay",
    "提交",
    "下一步",
    "继续",
    "next",
    "submit",
    "done",
    "yes",
    "continue",
    "confirm",
    "保存",
    "save",
    "savechanges",
    "apply",
    "turnoff",
    "turnitoff",
    "switchoff",
    "disable",
];

/// The first of `words` the page's text says (as `normalize` reads them both).
pub fn says_any(text: &str, words: &[String]) -> Option<String> {
    let page = normalize(text);
    words.iter().find(|w| page.contains(&normalize(w))).cloned()
}

/// Lower case, half-width, simplified, without spaces and decorations.
pub fn normalize(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        let c = match c {
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            '\u{3000}' => ' ',
            _ => c,
        };
        let c = simplified(c);
        if c.is_whitespace()
            || is_glyph(c)
            || matches!(
                c,
                '▾' | '▼'
                    | '›'
                    | '»'
                    | '>'
                    | '〉'
                    | '→'
                    | '·'
                    | '•'
                    | '“'
                    | '”'
                    | '"'
                    | '「'
                    | '」'
                    | '!'
                    | '！'
                    | '?'
                    | '？'
                    | '。'
                    | ','
                    | '，'
                    | '~'
                    | '←'
                    | '↗'
                    | '⇗'
                    | '‹'
                    | '<'
                    | '〈'
            )
        {
            continue;
        }
        out.extend(c.to_lowercase());
    }
    out
}

/// The text without its drawn symbols (icons), its spacing otherwise as it was.
pub fn without_glyphs(text: &str) -> String {
    text.chars()
        .filter(|c| !is_glyph(*c))
        .collect::<String>()
        .trim()
        .to_string()
}

/// A drawn symbol rather than a word: the icons of tab bars and menus (☺ ⌂ ▦ ✕, emoji, and
/// icon fonts' private-use characters). They say nothing about what an element does.
fn is_glyph(c: char) -> bool {
    matches!(c as u32,
        0x2190..=0x2BFF // arrows, technical, box drawing, shapes, symbols, dingbats
        | 0xE000..=0xF8FF // private use: icon fonts
        | 0xFE0F
        | 0x1F000..=0x1FAFF // emoji and pictographs
    )
}

fn simplified(c: char) -> char {
    PAIRS
        .iter()
        .find(|(t, _)| *t == c)
        .map(|(_, s)| *s)
        .unwrap_or(c)
}

/// The traditional → simplified pairs as one string (`關关閉闭…`), for `snapshot.js`.
pub fn fold_table() -> String {
    PAIRS.iter().flat_map(|(t, s)| [*t, *s]).collect()
}

const PAIRS: &[(char, char)] = &[
    ('關', '关'),
    ('閉', '闭'),
    ('動', '动'),
    ('續', '续'),
    ('費', '费'),
    ('訂', '订'),
    ('閱', '阅'),
    ('確', '确'),
    ('認', '认'),
    ('會', '会'),
    ('員', '员'),
    ('開', '开'),
    ('啟', '启'),
    ('購', '购'),
    ('買', '买'),
    ('級', '级'),
    ('約', '约'),
    ('還', '还'),
    ('設', '设'),
    ('選', '选'),
    ('擇', '择'),
    ('滿', '满'),
    ('價', '价'),
    ('貴', '贵'),
    ('繼', '继'),
    ('們', '们'),
    ('個', '个'),
    ('帳', '账'),
    ('號', '号'),
    ('碼', '码'),
    ('驗', '验'),
    ('證', '证'),
    ('務', '务'),
    ('詳', '详'),
    ('細', '细'),
    ('幫', '帮'),
    ('題', '题'),
    ('單', '单'),
    ('權', '权'),
    ('應', '应'),
    ('領', '领'),
    ('優', '优'),
    ('暫', '暂'),
    ('讓', '让'),
    ('離', '离'),
    ('絕', '绝'),
    ('際', '际'),
    ('與', '与'),
    ('戶', '户'),
    ('儲', '储'),
    ('値', '值'),
    ('統', '统'),
    ('註', '注'),
    ('銷', '销'),
    ('條', '条'),
    ('幣', '币'),
    ('寶', '宝'),
    ('錢', '钱'),
    ('門', '门'),
    ('護', '护'),
    ('資', '资'),
    ('訊', '讯'),
    ('態', '态'),
    ('讀', '读'),
    ('並', '并'),
    ('嗎', '吗'),
    ('後', '后'),
    ('時', '时'),
    ('長', '长'),
    ('請', '请'),
    ('於', '于'),
    ('無', '无'),
    ('額', '额'),
    ('點', '点'),
    ('擊', '击'),
    ('頁', '页'),
    ('實', '实'),
    ('說', '说'),
    ('將', '将'),
    ('當', '当'),
    ('換', '换'),
    ('綁', '绑'),
    ('鍵', '键'),
    ('現', '现'),
    ('語', '语'),
    ('體', '体'),
    ('飛', '飞'),
    ('這', '这'),
    ('紅', '红'),
    ('區', '区'),
    ('歷', '历'),
    ('紀', '纪'),
    ('錄', '录'),
    ('記', '记'),
    ('聯', '联'),
    ('繫', '系'),
    ('係', '系'),
    ('幾', '几'),
    ('連', '连'),
    ('筆', '笔'),
    ('項', '项'),
    ('專', '专'),
    ('屬', '属'),
    ('載', '载'),
    ('殘', '残'),
    ('謝', '谢'),
    ('絡', '络'),
    ('網', '网'),
    ('盤', '盘'),
    ('雲', '云'),
    ('視', '视'),
    ('樂', '乐'),
    ('聽', '听'),
    ('書', '书'),
    ('鑽', '钻'),
    ('華', '华'),
    ('榮', '荣'),
    ('處', '处'),
    ('歡', '欢'),
    ('內', '内'),
    ('豐', '丰'),
    ('頻', '频'),
    ('過', '过'),
    ('響', '响'),
    ('週', '周'),
    ('畫', '画'),
    ('臺', '台'),
    ('灣', '湾'),
    ('隱', '隐'),
    ('發', '发'),
    ('為', '为'),
    ('兌', '兑'),
    ('顯', '显'),
    ('舊', '旧'),
    ('檢', '检'),
    ('測', '测'),
    ('復', '复'),
    ('隨', '随'),
    ('變', '变'),
    ('檔', '档'),
    ('遊', '游'),
    ('戲', '戏'),
    ('錯', '错'),
    ('誤', '误'),
    ('麼', '么'),
    ('壞', '坏'),
    ('擁', '拥'),
    ('職', '职'),
    ('積', '积'),
    ('獎', '奖'),
    ('禮', '礼'),
    ('贈', '赠'),
    ('歸', '归'),
    ('稱', '称'),
    ('報', '报'),
    ('簽', '签'),
    ('廣', '广'),
    ('據', '据'),
    ('興', '兴'),
    ('醫', '医'),
    ('療', '疗'),
    ('贊', '赞'),
    ('車', '车'),
    ('氣', '气'),
    ('線', '线'),
    ('電', '电'),
    ('話', '话'),
    ('郵', '邮'),
    ('繳', '缴'),
];

/// The intent of an element's words, in its context.
pub fn classify(text: &str, dialog: Option<&DialogContext>) -> Intent {
    let t = normalize(text);
    if t.is_empty() {
        return Intent::Neutral;
    }
    if BARE_DISMISS.is_match(&t) {
        // In a dialog asking "确认要关闭自动续费？", 取消 dismisses the dialog: it keeps the
        // renewal. Outside a dialog nobody can tell.
        return match dialog {
            Some(_) => Intent::Stay,
            None => Intent::Ambiguous,
        };
    }
    if STAY.is_match(&t) {
        return Intent::Stay;
    }
    if PAYING.is_match(&t) && !NAV_LABEL.is_match(&t) {
        // Confirm purchase / 确认支付 / Confirm and pay: a proceed word on a payment.
        return Intent::Decoy;
    }
    if PROCEED.is_match(&t) && !GENERIC_PROCEED.contains(&t.as_str()) {
        // 确认解约 / 仍要取消: the last word of a chain that is already about the change.
        return Intent::Proceed;
    }
    if CANCEL_MEMBERSHIP.is_match(&t) || CANCEL_RENEWAL.is_match(&t) {
        // Inside a dialog that asks about the change, the cancel words answer it: proceed.
        if dialog.is_some_and(asks_about_change) {
            return Intent::Proceed;
        }
        return if CANCEL_MEMBERSHIP.is_match(&t) {
            Intent::CancelMembership
        } else {
            Intent::CancelRenewal
        };
    }
    if NAV_LABEL.is_match(&t) || RECORDS.is_match(&t) {
        return Intent::Navigate;
    }
    if DECOY.is_match(&t) {
        return Intent::Decoy;
    }
    if PROCEED.is_match(&t) {
        // A bare 确定 outside a dialog about the change is just a button.
        let generic = GENERIC_PROCEED.contains(&t.as_str());
        if generic && dialog.is_some_and(is_purchase_dialog) {
            // 确定 in an 订单确认 dialog that shows an amount buys something.
            return Intent::Decoy;
        }
        if generic {
            let about_change = dialog.is_some_and(|d| {
                CHANGE_QUESTION.is_match(&normalize(&format!("{}{}", d.title, d.text)))
            });
            if !about_change {
                return Intent::Neutral;
            }
        }
        return Intent::Proceed;
    }
    if ACKNOWLEDGE.is_match(&t) {
        return Intent::Acknowledge;
    }
    if REASON.is_match(&t) {
        return Intent::Reason;
    }
    if NAVIGATE.is_match(&t) {
        return Intent::Navigate;
    }
    Intent::Neutral
}

/// The intent of clicking a candidate, in its context: information text is never a target,
/// and a renewal switch means off when it is on and *on* (a decoy) when it is off.
pub fn intent_of(c: &Candidate) -> Intent {
    if (!c.interactive && !c.switch_like) || c.editable || c.container {
        return Intent::Neutral;
    }
    let label = c.visible_label();
    if c.switch_like {
        // A switch's own text is often only 开/On: its label or its row says what it is.
        let row = if c.row.chars().count() <= 40 {
            c.row.as_str()
        } else {
            ""
        };
        let words = format!("{label} {} {}", c.label, c.aria);
        let words = if normalize(&words).chars().count() > 3 {
            words
        } else {
            format!("{words} {row}")
        };
        let intent = classify(label, c.dialog.as_ref());
        if intent == Intent::Acknowledge || intent == Intent::Reason {
            return intent;
        }
        if RENEWAL_WORDS.is_match(&normalize(&words)) {
            return match c.checked {
                Some(true) => Intent::CancelRenewal,
                Some(false) => Intent::Decoy,
                None => Intent::Ambiguous,
            };
        }
        return intent;
    }
    if normalize(label).is_empty() && label.chars().any(|ch| matches!(ch, '▾' | '▼' | '⋯' | '…'))
    {
        return Intent::Navigate;
    }
    classify(label, c.dialog.as_ref())
}

static RENEWAL_WORDS: LazyLock<Regex> = LazyLock::new(|| {
    re(r"(自动续费|续费|连续包(月|季|年)|自动扣费|免密支付|代扣|订阅|auto-?renew|subscription)")
});

/// 确定 / 下一步 / Save / OK: words that go ahead only where the context is the change.
pub fn generic_proceed(text: &str) -> bool {
    // A countdown drawn on the button (确定 (3s), OK 2) is not part of its words.
    static COUNTDOWN: LazyLock<Regex> =
        LazyLock::new(|| re(r"[(（\[]?\d+(s|秒|sec)?(后可(用|点|操作))?[)）\]]?$"));
    let t = COUNTDOWN.replace(&normalize(text), "").into_owned();
    PROCEED.is_match(&t) && GENERIC_PROCEED.contains(&t.as_str())
}

/// Words about the change itself (关闭, 取消, 解约, cancel, turn off): a heading or a question
/// that makes the page's 确定 / 下一步 go ahead with it.
pub fn about_change(text: &str) -> bool {
    let t = normalize(text);
    !t.is_empty() && CHANGE_QUESTION.is_match(&t) && !says_purchase(text)
}

/// A dialog about paying: its title says so (订单确认, Confirm purchase), or, when its title
/// does not ask about the cancellation, its text shows an order or an amount to pay.
pub fn is_purchase_dialog(d: &DialogContext) -> bool {
    says_purchase(&d.title) || (!asks_about_change(d) && says_purchase(&d.text))
}

/// A dialog whose title asks a question about the cancellation (确认要关闭自动续费吗？).
fn asks_about_change(d: &DialogContext) -> bool {
    let title = if d.title.is_empty() {
        &d.text
    } else {
        &d.title
    };
    let asks = title.contains(['？', '?', '吗', '嗎']);
    asks && CHANGE_QUESTION.is_match(&normalize(title))
}

/// Words that say a change took effect.
pub fn says_success(text: &str) -> bool {
    static SUCCESS: LazyLock<Regex> = LazyLock::new(|| {
        re(
            r"(已关闭(自动续费)?|已取消(自动续费|订阅|连续包月)?|关闭成功|取消成功|解约成功|退订成功|操作成功|已解约|已退订|auto-?renew(al)?(is)?(now)?(turned)?off|automaticrenewal(is)?(now)?(turned)?off|subscription(has been|hasbeen)?cancel(l)?ed|cancel(l)?ationconfirmed)",
        )
    });
    SUCCESS.is_match(&normalize(text))
}

/// Words that say the account has nothing to cancel (no membership, no renewal service):
/// the phrase found, to quote back to the person.
pub fn says_nothing_to_cancel(text: &str) -> Option<String> {
    static NOTHING: LazyLock<Regex> = LazyLock::new(|| {
        re(
            r"(暂无(生效中?的|可管理的)?(自动续费|续费|会员)(服务)?|无需(取消|解约)|(没有|未)开通(会员|自动续费)(服务)?|尚未开通会员|您?还不是会员|当前不是会员|当前没有会员服务|noactivesubscription|youarenotsubscribed)",
        )
    });
    let t = normalize(text);
    NOTHING.find(&t).map(|m| m.as_str().to_string())
}

/// On/off as the words around a switch state it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum SwitchState {
    On,
    Off,
    Unknown,
}

impl SwitchState {
    pub fn as_str(self) -> &'static str {
        match self {
            SwitchState::On => "on",
            SwitchState::Off => "off",
            SwitchState::Unknown => "unknown",
        }
    }
}

/// Words that name a renewal setting or its way out, for a search that knows no service
/// (`explore`) and for the check that no other setting on a page reads on.
pub const SETTING_WORDS: &[&str] = &[
    "自动续费",
    "自动续订",
    "自动续期",
    "自动续约",
    "自动扣费",
    "自动扣款",
    "续费开关",
    "连续包月",
    "连续包季",
    "连续包年",
    "免密支付",
    "代扣协议",
    "扣款协议",
    "扣款授权",
    "取消自动续费",
    "关闭自动续费",
    "解约",
    "Auto-renew",
    "Auto renew",
    "Auto-renewal",
    "Automatic renewal",
    "Billing agreement",
    "Payment authorization",
    "Cancel subscription",
    "Recurring billing",
];

/// The words of [`SETTING_WORDS`] that name the setting only (自动续费, 续费开关, 代扣协议):
/// a word that could be a service's own name would make the engine look for that service.
pub fn setting_words() -> Vec<String> {
    SETTING_WORDS
        .iter()
        .filter(|w| names_renewal_only(w))
        .map(|w| w.to_string())
        .collect()
}

/// Whether a keyword only names the renewal setting (自动续费, 连续包月, Auto-renew), not a
/// particular service.
pub fn names_renewal_only(word: &str) -> bool {
    static ONLY: LazyLock<Regex> = LazyLock::new(|| {
        re(&format!(
            r"^({SUBJECT}|{SUBJECT}(管理|设置|开关|状态|服务))$"
        ))
    });
    ONLY.is_match(&normalize(word))
}

/// One statement of a renewal state found in a text: where, which, and the words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Statement {
    pub at: usize,
    pub state: SwitchState,
    pub words: String,
    /// Inferred from a date of the next charge, not said outright.
    pub weak: bool,
}

/// The subjects a renewal state is said of: 自动续费, 连续包月, 代扣 agreements, Auto-renew.
const SUBJECT: &str = r"((billing|payment)agreement|paymentauthori[sz]ation|扣款授权|automatic(ally)?renew(al)?|autorebill|rebill|autobill(ing)?|自动续费|自动续订|自动续期|自动续约|自动扣费|自动扣款|连续包月|连续包季|连续包年|续费|续订|订阅|扣费|代扣(协议)?|免密支付|免密代扣|auto-?renew(al)?|autopay|recurringbilling|recurring)";

/// Every statement of a renewal state in `text`: 自动续费：已开启 / 已开通自动续费 / 下次扣费
/// 2026-01-05 / 到期后不再续费 / 已签约 / 已解约 / Auto-renew: On / Renews on January 5 /
/// Cancels on January 5, in simplified, traditional and English. A condition (关闭后将不再扣费,
/// "if you cancel, you won't be charged") is not a statement of the state.
pub fn statements(text: &str) -> Vec<Statement> {
    static OFF: LazyLock<Regex> = LazyLock::new(|| {
        re(&format!(
            r"({SUBJECT}(开关|状态|服务)?[:：]?(已关闭|关闭中|已关|未开启|未开通|已取消|已停止|已终止|已解约|未签约|已退订|off\b|off$|disabled|inactive|cancel(l)?ed|revoked|terminated|unauthori[sz]ed|doesnotrenew)|(已关闭|已取消|未开通|未开启|已停止|已终止|已解约|已退订|没有开通|未签约)(的)?{SUBJECT}|(到期|期满)后?(将)?不(再|会)(自动)?(续费|续订|续期|扣费|扣款|续约)|不(再|会)自动(续费|续订|续期|扣费|扣款)|^已解约|已解约$|状态[:：]?已解约|(will|does)not(auto-?)?renew|won'?trenew|notrenewing|nonrenewing|willnotbe(charged|billed|renewed)|(cancels|willcancel|willbecancel(l)?ed|endson|willend)(on|at)?\d|(cancels|ends)on[a-z]|willbecancel(l)?ed|pendingcancel(l)?ation|cancel(l)?ationscheduled|status:?(cancel(l)?ed|expired|inactive)|(subscription|plan|membership)(hasbeen|is|was)?cancel(l)?ed)"
        ))
    });
    static ON: LazyLock<Regex> = LazyLock::new(|| {
        re(&format!(
            r"({SUBJECT}(开关|状态|服务)?[:：]?(已开启|开启中?|已开通|开通中|生效中|已生效|已签约|正常|on\b|on$|enabled|active|authori[sz]ed|signed)|(已开通|已开启|已签约)(的)?{SUBJECT}|(自动续费|自动续订|连续包月|连续包年|连续包季|自动扣费)中|^已签约|已签约$|状态[:：]?已签约|autorenewalison|将(会)?自动(续费|续订|扣费|扣款|续期))"
        ))
    });
    /// A date of the next charge or renewal: says on, but less firmly than the state itself
    /// (pages that lag keep it after the switch is off).
    static ON_BY_DATE: LazyLock<Regex> = LazyLock::new(|| {
        re(
            r"(下次(扣费|扣款|续费|付款|支付|续订|续期|账单)\S{0,8}?\d|将于[^到]{0,16}?(自动)?(续费|续订|扣费|扣款|续期)|renews(on|every|automatically|in|at)?\d|renews(on|every|automatically|in|at)|willrenew|willautomaticallyrenew|next(payment|billing|charge|invoice|renewal)(date)?(on)?:?\S{0,4}?\d|next(payment|billing|charge|invoice|renewal)(date)?(on)?:?(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec))",
        )
    });
    /// Words that make what follows in the sentence a condition or an explanation, not a
    /// state: 关闭后，…到期后不再扣费 / If you cancel, your plan will not renew.
    static CONDITION: LazyLock<Regex> =
        LazyLock::new(|| re(r"((关闭|取消|解约|退订|停止|解除)\S{0,6}后|如果|如需|若|一旦|假如)"));
    static CONDITION_EN: LazyLock<Regex> = LazyLock::new(|| {
        re(r"\b(if|once|after you (cancel|turn)|when you (cancel|turn)|unless)\b")
    });
    let mut out = Vec::new();
    let mut offset = 0;
    for sentence in text.split(['。', '！', '？', '!', '?', '；', ';', '\n']) {
        let t = normalize(sentence);
        let english_condition = CONDITION_EN.is_match(&sentence.to_lowercase());
        let found = out.len();
        for (pattern, state, weak) in [
            (&*OFF, SwitchState::Off, false),
            (&*ON, SwitchState::On, false),
            (&*ON_BY_DATE, SwitchState::On, true),
        ] {
            for m in pattern.find_iter(&t) {
                if english_condition || CONDITION.is_match(&t[..m.start()]) {
                    continue;
                }
                // An "on" that overlaps an "off" statement (未开通自动续费 holds 开通自动续费;
                // 将于…到期不再续订 holds 将于…续订) is not one.
                let at = offset + m.start();
                if state == SwitchState::On
                    && (m.as_str().contains("不再")
                        || m.as_str().contains("不会")
                        || out[found..].iter().any(|s: &Statement| {
                            s.at < offset + m.end() && at < s.at + s.words.len()
                        }))
                {
                    continue;
                }
                out.push(Statement {
                    at,
                    state,
                    words: m.as_str().to_string(),
                    weak,
                });
            }
        }
        offset += t.len();
    }
    let t = normalize(text);
    // English states said with a word of their own (Auto-renew On, Automatic renewal: off),
    // read where the words are still apart.
    static SPACED: LazyLock<Regex> = LazyLock::new(|| {
        re(
            r"\b(auto-?renew(al)?|automatic(ally)? renew(al)?|auto rebill|autopay|recurring billing)\s*(status)?\s*:?\s*(is\s+)?(?P<state>on|off|enabled|disabled|active|inactive)\b",
        )
    });
    let spaced: String = text
        .chars()
        .map(|c| match c {
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            c => c,
        })
        .collect::<String>()
        .to_lowercase()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    for caps in SPACED.captures_iter(&spaced) {
        let state = match caps.name("state").map(|m| m.as_str()) {
            Some("on" | "enabled" | "active") => SwitchState::On,
            _ => SwitchState::Off,
        };
        let m = caps.get(0).expect("a match");
        let words = normalize(m.as_str());
        if !out.iter().any(|s| s.words == words) {
            out.push(Statement {
                at: m.start().min(t.len()),
                state,
                words,
                weak: false,
            });
        }
    }
    out.sort_by_key(|s| s.at);
    out
}

/// Reads a renewal state from status text: the first statement of it, or unknown.
pub fn state_from_text(text: &str) -> SwitchState {
    statements(text)
        .first()
        .map(|s| s.state)
        .unwrap_or(SwitchState::Unknown)
}

/// A dialog or page about paying: an order to confirm, an amount to pay, a checkout. Its
/// 确定 / OK buys something.
pub fn says_purchase(text: &str) -> bool {
    static PURCHASE: LazyLock<Regex> = LazyLock::new(|| {
        re(
            r"(订单确认|确认订单|订单信息|订单详情|确认支付|立即支付|去支付|支付方式|付款方式|实付|应付|支付金额|付款金额|总金额|合计[:：]?[¥￥$]|总计[:：]?[¥￥$]|需支付|待支付|购买|订购|开通\S{0,6}[¥￥$]\d|checkout|paynow|confirmpurchase|confirmandpay|ordersummary|totaldue|duetoday|amountdue|youwillbecharged|youllbecharged|placeorder|completepurchase|paymentmethod)",
        )
    });
    PURCHASE.is_match(&normalize(text))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dialog(title: &str) -> DialogContext {
        DialogContext {
            title: title.into(),
            text: title.into(),
        }
    }

    #[test]
    fn cancel_entries_and_decoys() {
        for t in [
            "取消自动续费",
            "关闭自动续费",
            "解约",
            "取消连续包月",
            "關閉自動續費",
            "Cancel subscription",
            "Turn off auto-renew",
        ] {
            assert_eq!(classify(t, None), Intent::CancelRenewal, "{t}");
        }
        assert_eq!(classify("立即解约", None), Intent::CancelMembership);
        for t in [
            "立即续费",
            "续费3个月",
            "升级",
            "申请退款",
            "立即开通",
            "开启自动续费",
            "Upgrade",
            "Pause instead",
            "续费",
        ] {
            assert_eq!(classify(t, None), Intent::Decoy, "{t}");
        }
        for t in [
            "续费管理",
            "自动续费管理",
            "续费设置",
            "支付设置",
            "会员中心 ▾",
            "服务详情",
            "当前会员",
        ] {
            assert_eq!(classify(t, None), Intent::Navigate, "{t}");
        }
    }

    #[test]
    fn context_decides_bare_words() {
        let d = dialog("确认要关闭自动续费吗？");
        assert_eq!(classify("取消", Some(&d)), Intent::Stay);
        assert_eq!(classify("确定", Some(&d)), Intent::Proceed);
        assert_eq!(classify("取消", None), Intent::Ambiguous);
        assert_eq!(classify("确定", None), Intent::Neutral);
        assert_eq!(classify("再想想", Some(&d)), Intent::Stay);
        assert_eq!(classify("残忍离开", Some(&d)), Intent::Proceed);
        assert_eq!(classify("暂不取消", Some(&d)), Intent::Stay);
        assert_eq!(classify("我已了解相关说明", Some(&d)), Intent::Acknowledge);
    }

    #[test]
    fn reads_states_from_text() {
        assert_eq!(
            state_from_text("续费设置 自动续费：开启 取消自动续费"),
            SwitchState::On
        );
        assert_eq!(
            state_from_text("自动续费：已关闭 开启自动续费"),
            SwitchState::Off
        );
        assert_eq!(state_from_text("已开通自动续费"), SwitchState::On);
        assert_eq!(state_from_text("Auto-renew: Off"), SwitchState::Off);
        assert_eq!(state_from_text("黄金会员"), SwitchState::Unknown);
        assert!(says_success("已关闭自动续费。会员到期后将不再扣费"));
    }
}
