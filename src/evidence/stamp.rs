//! The stamp under every screenshot: time with zone, platform, step and URL, drawn in a band
//! added below the page image (never into the page's DOM), in Noto CJK so Chinese renders.

use std::path::PathBuf;
use std::sync::OnceLock;

use ab_glyph::{Font, FontRef, PxScale, ScaleFont};
use image::{ImageFormat, RgbImage};

/// What the band says, one line each.
#[derive(Debug, Clone, Default)]
pub struct Stamp {
    pub lines: Vec<String>,
}

#[derive(Debug, thiserror::Error)]
pub enum StampError {
    #[error("the screenshot is not a readable PNG: {0}")]
    Decode(image::ImageError),
    #[error("cannot encode the stamped screenshot: {0}")]
    Encode(image::ImageError),
}

const BAND: [u8; 3] = [246, 246, 243];
const RULE: [u8; 3] = [200, 56, 13];
const INK: [u8; 3] = [28, 28, 28];

/// Returns the PNG with the stamp band below it. Without a usable font the band is still
/// added (so the page is never altered) and the text is left out, with a warning once.
pub fn stamp_png(png: &[u8], stamp: &Stamp) -> Result<Vec<u8>, StampError> {
    // RGB, and the band appended to the page's own buffer: one image in memory, not two.
    let page = image::load_from_memory_with_format(png, ImageFormat::Png)
        .map_err(StampError::Decode)?
        .into_rgb8();
    let (width, height) = page.dimensions();
    // Text size follows the image width: a phone screenshot (390 px) and a desktop one
    // (1280 px) both stay legible.
    let size = (width as f32 / 52.0).clamp(14.0, 22.0);
    let font = font();
    let wrapped: Vec<String> = match font {
        Some(f) => stamp
            .lines
            .iter()
            .flat_map(|l| wrap(f, size, l, width as f32 - 2.0 * size))
            .collect(),
        None => Vec::new(),
    };
    let line_height = (size * 1.45).ceil() as u32;
    let pad = (size * 0.6).ceil() as u32;
    let band = pad * 2 + line_height * wrapped.len().max(1) as u32 + 3;

    let mut raw = page.into_raw();
    let row = width as usize * 3;
    raw.reserve_exact(row * band as usize);
    for y in 0..band {
        let colour = if y < 3 { RULE } else { BAND };
        for _ in 0..width {
            raw.extend_from_slice(&colour);
        }
    }
    let mut out = RgbImage::from_raw(width, height + band, raw).expect("the buffer fits the size");
    if let Some(f) = font {
        let top = height + 3 + pad;
        for (i, line) in wrapped.iter().enumerate() {
            draw_line(
                &mut out,
                f,
                size,
                size,
                (top + i as u32 * line_height) as f32,
                line,
            );
        }
    }
    let mut bytes = std::io::Cursor::new(Vec::with_capacity(png.len() + 16 * 1024));
    out.write_to(&mut bytes, ImageFormat::Png)
        .map_err(StampError::Encode)?;
    Ok(bytes.into_inner())
}

fn draw_line(
    img: &mut RgbImage,
    font: &FontRef<'static>,
    size: f32,
    x0: f32,
    top: f32,
    text: &str,
) {
    let scaled = font.as_scaled(PxScale::from(size));
    let baseline = top + scaled.ascent();
    let mut x = x0;
    let mut previous = None;
    for ch in text.chars() {
        let id = scaled.glyph_id(ch);
        if let Some(prev) = previous {
            x += scaled.kern(prev, id);
        }
        let glyph = id.with_scale_and_position(size, ab_glyph::point(x, baseline));
        x += scaled.h_advance(id);
        previous = Some(id);
        let Some(outlined) = font.outline_glyph(glyph) else {
            continue;
        };
        let bounds = outlined.px_bounds();
        outlined.draw(|gx, gy, coverage| {
            let px = bounds.min.x as i64 + gx as i64;
            let py = bounds.min.y as i64 + gy as i64;
            if px < 0 || py < 0 || px >= img.width() as i64 || py >= img.height() as i64 {
                return;
            }
            let p = img.get_pixel_mut(px as u32, py as u32);
            for (channel, ink) in p.0.iter_mut().zip(INK) {
                let under = *channel as f32;
                *channel = (under + (ink as f32 - under) * coverage.min(1.0)).round() as u8;
            }
        });
    }
}

/// Breaks a line where it would run past `max` pixels (URLs are long; phones are narrow).
fn wrap(font: &FontRef<'static>, size: f32, line: &str, max: f32) -> Vec<String> {
    let scaled = font.as_scaled(PxScale::from(size));
    let mut out = vec![String::new()];
    let mut width = 0.0;
    for ch in line.chars() {
        let advance = scaled.h_advance(scaled.glyph_id(ch));
        if width + advance > max && !out.last().map(String::is_empty).unwrap_or(true) {
            out.push("  ".to_string());
            width = scaled.h_advance(scaled.glyph_id(' ')) * 2.0;
        }
        width += advance;
        out.last_mut().expect("one line at least").push(ch);
    }
    out
}

/// Noto Sans CJK SC, found through fontconfig, then at Debian's path.
fn font() -> Option<&'static FontRef<'static>> {
    static FONT: OnceLock<Option<FontRef<'static>>> = OnceLock::new();
    FONT.get_or_init(|| {
        for (path, index) in font_candidates() {
            // Mapped, not read: of the 19 MB collection only the pages of the glyphs drawn
            // are ever loaded.
            let Some(bytes) = map(&path) else {
                continue;
            };
            if let Ok(font) = FontRef::try_from_slice_and_index(bytes, index) {
                tracing::debug!("stamp font: {}:{index}", path.display());
                return Some(font);
            }
        }
        tracing::warn!(
            "no Noto CJK font found: screenshots get an empty stamp band; install fonts-noto-cjk (./webdriver/install.sh)"
        );
        None
    })
    .as_ref()
}

/// The font file mapped read-only for the rest of the process.
fn map(path: &std::path::Path) -> Option<&'static [u8]> {
    let file = std::fs::File::open(path).ok()?;
    // SAFETY: a read-only map of a system font file; fonts are not rewritten in place while
    // jieyue runs (a package upgrade replaces the file, leaving this map intact).
    let map = unsafe { memmap2::Mmap::map(&file) }.ok()?;
    Some(Box::leak(Box::new(map)))
}

fn font_candidates() -> Vec<(PathBuf, u32)> {
    let mut out = Vec::new();
    if let Ok(o) = std::process::Command::new("fc-match")
        .args(["-f", "%{file}:%{index}", "Noto Sans CJK SC"])
        .output()
    {
        let found = String::from_utf8_lossy(&o.stdout).to_string();
        if let Some((file, index)) = found.rsplit_once(':') {
            if file.contains("CJK") {
                out.push((PathBuf::from(file), index.trim().parse().unwrap_or(0)));
            }
        }
    }
    for path in [
        "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
        "/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc",
        "/usr/share/fonts/google-noto-cjk/NotoSansCJK-Regular.ttc",
    ] {
        // Index 2 is Simplified Chinese in the Noto CJK collection.
        out.push((PathBuf::from(path), 2));
    }
    out
}

/// Whether stamps will carry text (for a test that needs Chinese to render).
pub fn has_cjk_font() -> bool {
    font().is_some_and(|f| f.glyph_id('续').0 != 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    use image::{Rgba, RgbaImage};

    fn blank_png(w: u32, h: u32) -> Vec<u8> {
        let img = RgbaImage::from_pixel(w, h, Rgba([255, 255, 255, 255]));
        let mut bytes = std::io::Cursor::new(Vec::new());
        img.write_to(&mut bytes, ImageFormat::Png).unwrap();
        bytes.into_inner()
    }

    #[test]
    fn the_band_goes_below_and_the_page_is_untouched() {
        let png = blank_png(400, 300);
        let stamp = Stamp {
            lines: vec![
                "时间 2026-11-25 14:03:22 UTC+08:00".into(),
                "网址 http://127.0.0.1:8080/member/service?tab=renew&very=long&query=string&that=wraps".into(),
            ],
        };
        let out = stamp_png(&png, &stamp).unwrap();
        let img = image::load_from_memory(&out).unwrap().to_rgba8();
        assert_eq!(img.width(), 400);
        assert!(
            img.height() > 300 + 40,
            "band height {}",
            img.height() - 300
        );
        assert!(img
            .enumerate_pixels()
            .filter(|(_, y, _)| *y < 300)
            .all(|(_, _, p)| p.0 == [255, 255, 255, 255]));
        if has_cjk_font() {
            let dark = img
                .enumerate_pixels()
                .filter(|(_, y, p)| *y > 303 && p.0[0] < 100)
                .count();
            assert!(dark > 200, "the stamp text is drawn ({dark} dark pixels)");
        }
    }
}
