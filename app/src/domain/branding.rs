//! The entrepreneur's brand colour, used on the app, the pay page, e-mails and PDFs.

use serde::{Deserialize, Serialize};

/// A colour written `#rrggbb` (a three-digit `#rgb` is expanded), stored lower-cased.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BrandColor(String);

impl BrandColor {
    pub const DEFAULT: &'static str = "#2f5bea";

    pub fn parse(input: &str) -> Result<Self, String> {
        let s = input.trim().to_ascii_lowercase();
        let hex = s.strip_prefix('#').unwrap_or(&s);
        let expanded = match hex.len() {
            3 => hex.chars().flat_map(|c| [c, c]).collect::<String>(),
            6 => hex.to_owned(),
            _ => return Err("Indiquez une couleur au format #RRVVBB (ex. #2f5bea).".into()),
        };
        if !expanded.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err("Indiquez une couleur au format #RRVVBB (ex. #2f5bea).".into());
        }
        Ok(Self(format!("#{expanded}")))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Black or white, whichever reads better on this colour (WCAG relative luminance).
    pub fn contrasting_text(&self) -> &'static str {
        let channel = |i: usize| {
            let v = f64::from(u8::from_str_radix(&self.0[i..i + 2], 16).unwrap_or(0)) / 255.0;
            if v <= 0.039_28 {
                v / 12.92
            } else {
                ((v + 0.055) / 1.055).powf(2.4)
            }
        };
        let luminance = 0.2126 * channel(1) + 0.7152 * channel(3) + 0.0722 * channel(5);
        if luminance > 0.179 {
            "#111827"
        } else {
            "#ffffff"
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn colours_are_normalised_and_checked() {
        assert_eq!(BrandColor::parse("#2F5BEA").unwrap().as_str(), "#2f5bea");
        assert_eq!(BrandColor::parse("abc").unwrap().as_str(), "#aabbcc");
        assert!(BrandColor::parse("#12345").is_err());
        assert!(BrandColor::parse("#gggggg").is_err());
        assert!(BrandColor::parse("red").is_err());
    }

    #[test]
    fn text_colour_contrasts() {
        assert_eq!(BrandColor::parse("#ffffff").unwrap().contrasting_text(), "#111827");
        assert_eq!(BrandColor::parse("#1e3a8a").unwrap().contrasting_text(), "#ffffff");
    }
}

/// Why an uploaded logo was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogoError {
    Empty,
    TooLarge,
    NotPngOrJpeg,
    /// Wider or taller than [`LogoFormat::MAX_SIDE`] pixels.
    TooManyPixels,
    /// Says PNG or JPEG, but does not decode as one.
    Unreadable,
}

impl LogoError {
    pub fn message(self) -> &'static str {
        match self {
            Self::Empty => "Choisissez une image à envoyer.",
            Self::TooLarge => "Le logo dépasse 1 Mo : réduisez sa taille puis réessayez.",
            Self::NotPngOrJpeg => "Le logo doit être une image PNG ou JPEG.",
            Self::TooManyPixels => {
                "Le logo dépasse 2 000 × 2 000 pixels : réduisez ses dimensions puis réessayez."
            }
            Self::Unreadable => {
                "Cette image est illisible : enregistrez-la à nouveau en PNG ou JPEG puis réessayez."
            }
        }
    }

    /// A short code, carried in the settings page's address after a plain form upload.
    pub fn code(self) -> &'static str {
        match self {
            Self::Empty => "vide",
            Self::TooLarge => "trop-lourd",
            Self::NotPngOrJpeg => "format",
            Self::TooManyPixels => "trop-grand",
            Self::Unreadable => "illisible",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        [Self::Empty, Self::TooLarge, Self::NotPngOrJpeg, Self::TooManyPixels, Self::Unreadable]
            .into_iter()
            .find(|e| e.code() == code)
    }
}

/// The image formats a logo may have; both render in browsers, e-mail clients and PDFs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogoFormat {
    Png,
    Jpeg,
}

impl LogoFormat {
    pub const MAX_BYTES: usize = 1024 * 1024;
    /// The largest width and height decoded: a logo never needs more, and a small file can
    /// claim a huge image (a decompression bomb).
    pub const MAX_SIDE: u32 = 2_000;

    /// Recognises the file by its first bytes, never by the name or type the browser sent.
    pub fn detect(bytes: &[u8]) -> Result<Self, LogoError> {
        if bytes.is_empty() {
            return Err(LogoError::Empty);
        }
        if bytes.len() > Self::MAX_BYTES {
            return Err(LogoError::TooLarge);
        }
        if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
            Ok(Self::Png)
        } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
            Ok(Self::Jpeg)
        } else {
            Err(LogoError::NotPngOrJpeg)
        }
    }

    pub fn extension(self) -> &'static str {
        match self {
            Self::Png => "png",
            Self::Jpeg => "jpg",
        }
    }

    pub fn content_type(self) -> &'static str {
        match self {
            Self::Png => "image/png",
            Self::Jpeg => "image/jpeg",
        }
    }
}

#[cfg(test)]
mod logo_tests {
    use super::{LogoError, LogoFormat};

    #[test]
    fn logos_are_recognised_by_content() {
        assert_eq!(LogoFormat::detect(b"\x89PNG\r\n\x1a\nrest"), Ok(LogoFormat::Png));
        assert_eq!(LogoFormat::detect(&[0xFF, 0xD8, 0xFF, 0xE0]), Ok(LogoFormat::Jpeg));
        assert_eq!(LogoFormat::detect(b"<svg onload=alert(1)>"), Err(LogoError::NotPngOrJpeg));
        assert_eq!(LogoFormat::detect(b""), Err(LogoError::Empty));
        let mut big = b"\x89PNG\r\n\x1a\n".to_vec();
        big.resize(LogoFormat::MAX_BYTES + 1, 0);
        assert_eq!(LogoFormat::detect(&big), Err(LogoError::TooLarge));
        assert_eq!(LogoError::from_code(LogoError::TooLarge.code()), Some(LogoError::TooLarge));
    }
}
