//! `find` with `reveal`: a breadth-first search through navigation entries (hover menus,
//! links, tabs), never clicking anything but `navigate` elements.

use super::*;

impl Exec<'_> {
    /// Breadth-first search through navigation entries (hover menus, links, tabs), never
    /// clicking anything but `navigate` elements. Returns the target and the path to it.
    pub(super) async fn reveal(
        &self,
        target: &Target,
        depth: u32,
        budget: Instant,
    ) -> Result<Option<(Choice, Vec<String>)>, StepFail> {
        let start = self.browser.current_url().await?;
        let origin = url::Url::parse(&start).ok().map(|u| u.origin());
        let mut queue: VecDeque<MenuNode> = VecDeque::from([MenuNode {
            url: start.clone(),
            opened: Vec::new(),
            labels: Vec::new(),
        }]);
        let mut seen: HashSet<String> = HashSet::from([strip_fragment(&start)]);
        let mut first = true;
        let mut visits = 0;
        while let Some(node) = queue.pop_front() {
            if Instant::now() >= budget || visits >= MAX_REVEAL_VISITS {
                break;
            }
            visits += 1;
            if !first {
                // Going back: re-open the node's page, then its menus.
                self.restore(&node).await?;
                // A page that renders its list late says so (加载中, Loading): `look` waits
                // for it up to here, and stops early on a page that has settled.
                let until = (Instant::now() + self.plan.timeout).min(budget);
                if let Some(best) = self.look(target, until).await? {
                    return Ok(Some((best, node.labels)));
                }
            }
            first = false;
            if node.labels.len() >= depth as usize {
                continue;
            }
            let snap = self.snapshot(&[]).await?;
            let before: HashSet<String> = visible_menus(&snap).map(menu_key).collect();
            let mut menus: Vec<Candidate> = visible_menus(&snap)
                .filter(|c| !node.labels.iter().any(|l| normalize(l) == menu_key(c)))
                .cloned()
                .collect();
            menus.sort_by_key(|c| menu_rank(c.visible_label()));
            for m in menus {
                let mut labels = node.labels.clone();
                labels.push(plain_label(m.visible_label()));
                // A hover menu: does pointing at it show new entries?
                if self.hover(&m).await.is_ok() {
                    let after = self.snapshot(&[target]).await?;
                    if let Found::Match { best, .. } = choose(&after, target, Want::Any) {
                        if strong(&best) {
                            return Ok(Some((*best, labels)));
                        }
                    }
                    let new = visible_menus(&after).any(|c| !before.contains(&menu_key(c)));
                    if new {
                        let mut opened = node.opened.clone();
                        opened.push(MenuOpen::Hover(m.clone()));
                        queue.push_back(MenuNode {
                            url: node.url.clone(),
                            opened,
                            labels: labels.clone(),
                        });
                    }
                }
                match same_origin_link(&m, &node.url, origin.as_ref()) {
                    // A link: its page is re-opened directly, once.
                    Some(link) if seen.insert(strip_fragment(&link)) => {
                        queue.push_back(MenuNode {
                            url: link,
                            opened: Vec::new(),
                            labels,
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
                            labels,
                        });
                    }
                    // Another site: not part of this platform.
                    None => {}
                }
            }
        }
        Ok(None)
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

/// A page state during `reveal`: a URL and the menus opened on it, and how it was reached.
struct MenuNode {
    url: String,
    opened: Vec<MenuOpen>,
    labels: Vec<String>,
}

#[derive(Clone)]
enum MenuOpen {
    Hover(Candidate),
    Click(Candidate),
}

/// A menu's words without the arrows and chevrons drawn next to them, for the reported path.
fn plain_label(label: &str) -> String {
    label
        .trim_matches(|c: char| c.is_whitespace() || matches!(c, '▾' | '▼' | '›' | '»' | '>'))
        .to_string()
}

/// `reveal` gives up after this many page states.
const MAX_REVEAL_VISITS: usize = 60;

/// The entries `reveal` may open: visible navigation, never a commit, decoy or stay element.
fn visible_menus(snap: &Snapshot) -> impl Iterator<Item = &Candidate> {
    snap.candidates
        .iter()
        .filter(|c| c.visible && c.interactive && c.enabled && !c.editable)
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
