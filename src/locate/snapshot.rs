//! The page as the engine sees it: every candidate element, from one `execute` round trip.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// The JavaScript that walks the DOM (frames and open shadow roots too).
pub const SNAPSHOT_JS: &str = include_str!("snapshot.js");

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
pub struct Snapshot {
    pub url: String,
    pub title: String,
    /// The visible text of the page and its same-origin frames and shadow roots.
    #[serde(default)]
    pub text: String,
    pub candidates: Vec<Candidate>,
    /// For each css selector asked about: the candidates it matched (None: invalid selector).
    #[serde(default)]
    pub css: BTreeMap<String, Option<Vec<usize>>>,
    /// The text of each open dialog, modal or sheet.
    #[serde(default)]
    pub dialogs: Vec<String>,
    /// The containers that hold the candidates, innermost first from each candidate's
    /// `block`: the page's structure, for what belongs together (a service's name, state and
    /// controls).
    #[serde(default)]
    pub blocks: Vec<Block>,
    /// How long the page's DOM has not changed, when the browser could tell (None: unknown,
    /// as for saved HTML).
    #[serde(default)]
    pub quiet_ms: Option<f64>,
}

/// A container element: a row, a card, a list item, a section, the body.
#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq)]
pub struct Block {
    #[serde(default)]
    pub parent: Option<usize>,
    #[serde(default)]
    pub tag: String,
    /// What a person reads in it (clipped); empty when `big`.
    #[serde(default)]
    pub text: String,
    /// Too much text to be one service's container (a page, a long list).
    #[serde(default)]
    pub big: bool,
    /// A dialog, modal or sheet (by role, by element, or by how it behaves on the page).
    #[serde(default)]
    pub dialog: bool,
    /// How many elements beside it (itself included) share its tag and classes: more than
    /// one makes it an item of a list, a table row, one card of several.
    #[serde(default)]
    pub peers: u32,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq)]
pub struct Candidate {
    pub idx: usize,
    pub tag: String,
    #[serde(default)]
    pub role: String,
    #[serde(default, rename = "type")]
    pub input_type: String,
    #[serde(default)]
    pub text: String,
    #[serde(default)]
    pub label: String,
    #[serde(default)]
    pub placeholder: String,
    #[serde(default)]
    pub aria: String,
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub id: String,
    #[serde(default)]
    pub class: String,
    #[serde(default)]
    pub href: String,
    #[serde(default)]
    pub name: String,
    pub css: String,
    #[serde(default)]
    pub frame: Vec<u16>,
    #[serde(default)]
    pub shadow: Vec<String>,
    #[serde(default)]
    pub x: f64,
    #[serde(default)]
    pub y: f64,
    #[serde(default)]
    pub w: f64,
    #[serde(default)]
    pub h: f64,
    pub visible: bool,
    #[serde(default)]
    pub hidden_reason: Option<String>,
    #[serde(default = "yes")]
    pub enabled: bool,
    #[serde(default)]
    pub interactive: bool,
    #[serde(default)]
    pub editable: bool,
    #[serde(default)]
    pub switch_like: bool,
    #[serde(default)]
    pub checked: Option<bool>,
    #[serde(default)]
    pub on_top: Option<bool>,
    #[serde(default)]
    pub dialog: Option<DialogContext>,
    #[serde(default)]
    pub section: String,
    #[serde(default)]
    pub row: String,
    /// For a styled switch or a label: the css path of the checkbox it wraps or labels, whose
    /// state it shows (the same control).
    #[serde(default)]
    pub for_input: String,
    /// A clickable element that holds other controls (a card, a dialog): never a target.
    #[serde(default)]
    pub container: bool,
    /// The block that directly contains it.
    #[serde(default)]
    pub block: Option<usize>,
}

fn yes() -> bool {
    true
}

#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq)]
pub struct DialogContext {
    pub title: String,
    pub text: String,
}

impl Candidate {
    /// The words a person sees on or for the element: text, then aria-label, title, label.
    pub fn visible_label(&self) -> &str {
        [
            &self.text,
            &self.aria,
            &self.title,
            &self.label,
            &self.placeholder,
        ]
        .into_iter()
        .find(|s| !s.is_empty())
        .map(String::as_str)
        .unwrap_or("")
    }

    /// Where it is, for people: `css` plus the frame and shadow hosts that lead to it.
    pub fn location(&self) -> String {
        let mut parts: Vec<String> = Vec::new();
        if !self.frame.is_empty() {
            parts.push(format!("frame {:?}", self.frame));
        }
        for host in &self.shadow {
            parts.push(format!("{host} ::shadow"));
        }
        parts.push(self.css.clone());
        parts.join(" >> ")
    }
}

impl Snapshot {
    /// The chain of blocks from `start` outwards.
    pub fn ancestors(&self, start: Option<usize>) -> impl Iterator<Item = usize> + '_ {
        let mut next = start;
        let mut guard = 0;
        std::iter::from_fn(move || {
            let at = next?;
            guard += 1;
            if guard > 200 {
                return None;
            }
            next = self.blocks.get(at).and_then(|b| b.parent);
            Some(at)
        })
    }

    /// Whether the candidate sits inside block `b`.
    pub fn within(&self, c: &Candidate, b: usize) -> bool {
        self.ancestors(c.block).any(|a| a == b)
    }
}
