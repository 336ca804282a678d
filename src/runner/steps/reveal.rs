//! `find` with `reveal`, and `explore`: a breadth-first search through navigation entries
//! (hover menus, links, tabs) for a page state where a goal holds, never clicking anything
//! but `navigate` elements.

use super::*;

/// How one move of a search opened the next page state.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum HopKind {
    /// Pointing at a menu showed it.
    Hover,
    /// A click on an entry that is not a link (a tab, a menu that opens on click).
    Click,
    /// A link to another page of the platform.
    Link,
}

/// One move of the path a search found: the entry's words and how it was opened.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Hop {
    pub label: String,
    pub kind: HopKind,
}

/// What a search looks for: the words the snapshot must carry, whether every control is
/// wanted (reading a service needs them), and the test of a page state.
pub(crate) struct Goal<'g, T> {
    pub words: Vec<&'g Target>,
    pub all: bool,
    pub holds: &'g (dyn Fn(&Snapshot) -> Option<T> + Sync),
}

/// Where a search has been: each page state it looked at, as the path to it and its URL.
#[derive(Debug, Default)]
pub(crate) struct Trail {
    pub visited: Vec<(Vec<Hop>, String)>,
    /// Navigation moves made (hovers, clicks, pages opened).
    pub moves: usize,
    /// Screenshots of each state, when the search keeps evidence (`explore`).
    pub records: Vec<StepRecord>,
    pub keep_evidence: bool,
}

impl Exec<'_> {
    /// `find`'s search for a target: the target and the path to it.
    pub(super) async fn reveal(
        &mut self,
        target: &Target,
        depth: u32,
        budget: Instant,
    ) -> Result<Option<(Choice, Vec<Hop>)>, StepFail> {
        let holds = |snap: &Snapshot| match choose(snap, target, Want::Any) {
            Found::Match { best, .. } if strong(&best) => Some(*best),
            _ => None,
        };
        let goal = Goal {
            words: vec![target],
            all: false,
            holds: &holds,
        };
        let mut trail = Trail::default();
        self.search(&goal, depth, budget, MAX_REVEAL_VISITS, &mut trail)
            .await
    }

    /// Looks at the page until the goal holds or `until`; None when it does not (yet).
    /// Stops early on a page that has settled and does not say it is still loading.
    pub(super) async fn look_for<T>(
        &self,
        goal: &Goal<'_, T>,
        until: Instant,
    ) -> Result<Option<T>, StepFail> {
        let mut tick = ticker();
        let started = Instant::now();
        let mut last_count = usize::MAX;
        let mut stable = 0;
        loop {
            tick.tick().await;
            let snap = self.snapshot_for(goal).await?;
            if let Some(found) = (goal.holds)(&snap) {
                return Ok(Some(found));
            }
            // A page that has stopped changing will not show it later: stop early.
            let count = snap.candidates.iter().filter(|c| c.visible).count();
            stable = if count == last_count { stable + 1 } else { 0 };
            last_count = count;
            let quiet = stable >= 5 && started.elapsed() >= Duration::from_millis(300);
            let settled = quiet && !still_loading(&self.page_text().await?.text);
            if settled || Instant::now() >= until {
                // The page may have changed between the two looks (a list rendered just
                // now): one last look at it as it is.
                let snap = self.snapshot_for(goal).await?;
                return Ok((goal.holds)(&snap));
            }
        }
    }

    async fn snapshot_for<T>(&self, goal: &Goal<'_, T>) -> Result<Snapshot, StepFail> {
        if goal.all {
            self.snapshot_all(&goal.words).await
        } else {
            self.snapshot(&goal.words).await
        }
    }

    /// Breadth-first search through navigation entries (hover menus, links, tabs), never
    /// clicking anything but `navigate` elements, for a page state where the goal holds.
    /// Returns what the goal found and the path to it.
    pub(crate) async fn search<T>(
        &mut self,
        goal: &Goal<'_, T>,
        depth: u32,
        budget: Instant,
        max_visits: usize,
        trail: &mut Trail,
    ) -> Result<Option<(T, Vec<Hop>)>, StepFail> {
        let start = self.browser.current_url().await?;
        let origin = url::Url::parse(&start).ok().map(|u| u.origin());
        let mut queue: VecDeque<MenuNode> = VecDeque::from([MenuNode {
            url: start.clone(),
            opened: Vec::new(),
            path: Vec::new(),
        }]);
        let mut seen: HashSet<String> = HashSet::from([strip_fragment(&start)]);
        let mut first = true;
        let mut visits = 0;
        while let Some(node) = queue.pop_front() {
            if Instant::now() >= budget || visits >= max_visits {
                break;
            }
            visits += 1;
            if !first {
                // Going back: re-open the node's page, then its menus.
                trail.moves += 1 + node.opened.len();
                self.restore(&node).await?;
                // A page that renders its list late says so (加载中, Loading): `look_for`
                // waits for it up to here, and stops early on a page that has settled.
                let until = (Instant::now() + self.plan.timeout).min(budget);
                let found = self.look_for(goal, until).await?;
                if let Some(found) = found {
                    return Ok(Some((found, node.path)));
                }
            }
            self.keep_visit(&node.path, trail, "looked", &[]).await;
            first = false;
            if node.path.len() >= depth as usize {
                continue;
            }
            let snap = self.snapshot(&[]).await?;
            let before: HashSet<String> = visible_menus(&snap).map(menu_key).collect();
            let mut menus: Vec<Candidate> = visible_menus(&snap)
                .filter(|c| !node.path.iter().any(|h| normalize(&h.label) == menu_key(c)))
                .cloned()
                .collect();
            menus.sort_by_key(|c| menu_rank(c.visible_label()));
            for m in menus {
                if Instant::now() >= budget {
                    break;
                }
                let hop = |kind| {
                    let mut path = node.path.clone();
                    path.push(Hop {
                        label: plain_label(m.visible_label()),
                        kind,
                    });
                    path
                };
                // A hover menu: does pointing at it show new entries?
                if self.hover(&m).await.is_ok() {
                    trail.moves += 1;
                    let after = self.snapshot_for(goal).await?;
                    if let Some(found) = (goal.holds)(&after) {
                        trail.visited.push((hop(HopKind::Hover), node.url.clone()));
                        return Ok(Some((found, hop(HopKind::Hover))));
                    }
                    let new = visible_menus(&after).any(|c| !before.contains(&menu_key(c)));
                    if new {
                        let mut opened = node.opened.clone();
                        opened.push(MenuOpen::Hover(m.clone()));
                        queue.push_back(MenuNode {
                            url: node.url.clone(),
                            opened,
                            path: hop(HopKind::Hover),
                        });
                    }
                }
                match same_origin_link(&m, &node.url, origin.as_ref()) {
                    // A link: its page is re-opened directly, once.
                    Some(link) if seen.insert(strip_fragment(&link)) => {
                        queue.push_back(MenuNode {
                            url: link,
                            opened: Vec::new(),
                            path: hop(HopKind::Link),
                        });
                    }
                    Some(_) => {}
                    None if m.href.is_empty()
                        || m.href.starts_with("javascript")
                        || m.href.starts_with('#') =>
                    {
                        let mut opened = node.opened.clone();
                        opened.push(MenuOpen::Click(m.clone()));
                        queue.push_back(MenuNode {
                            url: node.url.clone(),
                            opened,
                            path: hop(HopKind::Click),
                        });
                    }
                    // Another site: not part of this platform.
                    None => {}
                }
            }
        }
        Ok(None)
    }

    /// Notes a page state the search looked at; with evidence on, its screenshot, with the
    /// elements given outlined (what a script would press, located and never clicked).
    pub(crate) async fn keep_visit(
        &mut self,
        path: &[Hop],
        trail: &mut Trail,
        status: &str,
        outline: &[Candidate],
    ) {
        let url = self
            .browser
            .current_url()
            .await
            .map(|u| self.redactor.redact(&u))
            .unwrap_or_default();
        if status != "found" || trail.visited.last().map(|v| &v.0[..]) != Some(path) {
            trail.visited.push((path.to_vec(), url.clone()));
        }
        if !trail.keep_evidence {
            return;
        }
        let number = trail.records.len() + 1;
        let step = Step {
            number,
            line: 0,
            action: Action::Goto { url: url.clone() },
        };
        let mut rec = StepRecord::new(number, "visit", 0, &describe_path(path));
        rec.url = Some(url);
        let mut outlined = false;
        for c in outline {
            outlined |= self.outline(&candidate_record(c), "found").await;
        }
        let stem = format!("{number:02}-visit");
        let (files, _) = self.capture(&stem, &step, status, false).await;
        if outlined {
            self.remove_outline().await;
        }
        rec.files = files;
        rec.status = StepStatus::Ok;
        rec.message = Some(status.to_string());
        rec.found = outline.first().map(candidate_record);
        trail.records.push(rec);
    }

    /// Puts the page back in a node's state: its URL, then the menus opened on it.
    async fn restore(&self, node: &MenuNode) -> Result<(), StepFail> {
        self.browser.goto(&node.url).await?;
        for open in &node.opened {
            match open {
                MenuOpen::Hover(c) => self.hover(c).await?,
                MenuOpen::Click(c) => {
                    // The same element, re-found by its words on the re-opened page.
                    let until = Instant::now() + Duration::from_millis(1500);
                    let t = Target::keywords(vec![c.visible_label().to_string()]);
                    let Some(again) = self.look(&t, until).await? else {
                        return Ok(());
                    };
                    if intent_of(&again.candidate) != Intent::Navigate {
                        return Ok(());
                    }
                    self.click(&again.candidate).await?;
                }
            }
        }
        Ok(())
    }
}

/// An element `explore` located, as the record keeps it.
pub(crate) fn candidate_record(c: &Candidate) -> FoundRecord {
    FoundRecord {
        text: c.visible_label().to_string(),
        tag: c.tag.clone(),
        css: c.css.clone(),
        location: c.location(),
        frame: c.frame.clone(),
        shadow: c.shadow.clone(),
        score: 0,
        quality: MatchQuality::Exact,
        intent: intent_of(c),
        via: "explore".into(),
        drift: None,
    }
}

/// A path as a person reads it: 会员中心 → 当前会员 (hover: 更多 → 自动续费管理).
pub(crate) fn describe_path(path: &[Hop]) -> String {
    if path.is_empty() {
        return "the first page".into();
    }
    path.iter()
        .map(|h| match h.kind {
            HopKind::Hover => format!("{} (hover)", h.label),
            _ => h.label.clone(),
        })
        .collect::<Vec<_>>()
        .join(" → ")
}

/// A page state during a search: a URL and the menus opened on it, and how it was reached.
struct MenuNode {
    url: String,
    opened: Vec<MenuOpen>,
    path: Vec<Hop>,
}

#[derive(Clone)]
enum MenuOpen {
    Hover(Candidate),
    Click(Candidate),
}

/// A menu's words without the arrows and chevrons drawn next to them, for the reported path.
fn plain_label(label: &str) -> String {
    crate::locate::lexicon::without_glyphs(label)
        .trim_matches(|c: char| c.is_whitespace() || matches!(c, '▾' | '▼' | '›' | '»' | '>'))
        .to_string()
}

/// `reveal` gives up after this many page states.
const MAX_REVEAL_VISITS: usize = 60;

/// The entries `reveal` may open: visible navigation, never a commit, decoy or stay element.
/// A switch, a checkbox, or a label that works one, is never a menu: pressing it changes
/// what it holds, whatever its words say (a switch labelled 自动续费 reads as the way to the
/// renewal setting).
fn visible_menus(snap: &Snapshot) -> impl Iterator<Item = &Candidate> {
    snap.candidates
        .iter()
        .filter(|c| c.visible && c.interactive && c.enabled && !c.editable)
        .filter(|c| {
            !c.switch_like
                && c.checked.is_none()
                && c.for_input.is_empty()
                && !matches!(c.input_type.as_str(), "checkbox" | "radio")
                && !matches!(
                    c.role.as_str(),
                    "switch" | "checkbox" | "radio" | "menuitemcheckbox"
                )
        })
        .filter(|c| intent_of(c) == Intent::Navigate)
}

/// The absolute URL a navigation link leads to, when it stays on the platform.
fn same_origin_link(c: &Candidate, base: &str, origin: Option<&url::Origin>) -> Option<String> {
    if c.href.is_empty() || c.href.starts_with("javascript") || c.href.starts_with('#') {
        return None;
    }
    let link = url::Url::parse(base).ok()?.join(&c.href).ok()?;
    (Some(&link.origin()) == origin).then(|| link.to_string())
}

fn menu_key(c: &Candidate) -> String {
    normalize(c.visible_label())
}

/// Deeper, more specific entries first: 服务详情 before 会员中心 before 设置.
fn menu_rank(label: &str) -> usize {
    const ORDER: [&str; 14] = [
        "自动续费管理",
        "续费管理",
        "续费设置",
        "服务详情",
        "修改套餐",
        "管理会员",
        "会员管理",
        "当前会员",
        "我的权益",
        "会员中心",
        "支付设置",
        "账号与安全",
        "设置",
        "更多",
    ];
    let t = normalize(label);
    ORDER
        .iter()
        .position(|w| t.contains(&normalize(w)))
        .unwrap_or(ORDER.len())
}
