//! Calendar dates (no time of day), written `YYYY-MM-DD` in storage and forms and `27/11/2026`
//! for people.

use serde::{Deserialize, Serialize};
use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Date {
    /// Days since 1970-01-01.
    days: i64,
}

impl Date {
    pub fn from_ymd(year: i64, month: u32, day: u32) -> Option<Self> {
        if !(1..=12).contains(&month)
            || day == 0
            || day > days_in_month(year, month)
            || !(1900..=2999).contains(&year)
        {
            return None;
        }
        Some(Self { days: days_from_civil(year, month, day) })
    }

    /// `2026-11-27`.
    pub fn parse(input: &str) -> Result<Self, String> {
        let bad = || "Indiquez une date valide.".to_string();
        let mut parts = input.trim().splitn(3, '-');
        let (Some(y), Some(m), Some(d)) = (parts.next(), parts.next(), parts.next()) else {
            return Err(bad());
        };
        if y.len() != 4 || m.len() != 2 || d.len() != 2 {
            return Err(bad());
        }
        let (y, m, d) =
            (y.parse().map_err(|_| bad())?, m.parse().map_err(|_| bad())?, d.parse().map_err(|_| bad())?);
        Self::from_ymd(y, m, d).ok_or_else(bad)
    }

    /// The date of a Unix timestamp, in UTC.
    pub fn from_unix(seconds: i64) -> Self {
        Self { days: seconds.div_euclid(86_400) }
    }

    pub fn add_days(self, days: i64) -> Self {
        Self { days: self.days + days }
    }

    pub fn days_until(self, later: Date) -> i64 {
        later.days - self.days
    }

    pub fn ymd(self) -> (i64, u32, u32) {
        civil_from_days(self.days)
    }

    pub fn year(self) -> i64 {
        self.ymd().0
    }

    pub fn month(self) -> u32 {
        self.ymd().1
    }

    /// The first day of this date's month.
    pub fn first_of_month(self) -> Date {
        let (y, m, _) = self.ymd();
        Self { days: days_from_civil(y, m, 1) }
    }

    /// The last day of this date's month.
    pub fn last_of_month(self) -> Date {
        let (y, m, _) = self.ymd();
        Self { days: days_from_civil(y, m, days_in_month(y, m)) }
    }

    /// The same day `months` months later (or earlier), kept inside the target month:
    /// 31 January + 1 month is 28 (or 29) February.
    pub fn add_months(self, months: i64) -> Date {
        let (y, m, d) = self.ymd();
        let index = y * 12 + i64::from(m) - 1 + months;
        let (year, month) = (index.div_euclid(12), index.rem_euclid(12) as u32 + 1);
        Self { days: days_from_civil(year, month, d.min(days_in_month(year, month))) }
    }

    /// 0 for Sunday … 6 for Saturday.
    pub fn weekday(self) -> u32 {
        // 1970-01-01 was a Thursday.
        (self.days + 4).rem_euclid(7) as u32
    }

    /// `27/11/2026`.
    pub fn french(self) -> String {
        let (y, m, d) = self.ymd();
        format!("{d:02}/{m:02}/{y}")
    }

    /// `novembre 2026`.
    pub fn month_year_french(self) -> String {
        let (y, m, _) = self.ymd();
        format!("{} {y}", MONTHS[m as usize - 1])
    }

    /// `nov. 26`, for a chart's axis.
    pub fn month_short_french(self) -> String {
        const SHORT: [&str; 12] = [
            "janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.", "oct.", "nov.", "déc.",
        ];
        SHORT[self.ymd().1 as usize - 1].to_owned()
    }
}

const MONTHS: [&str; 12] = [
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
];

/// An ISO date as « 27/11/2026 »; text that is not a date is shown as it is.
pub fn french_date(iso: &str) -> String {
    Date::parse(iso).map(|d| d.french()).unwrap_or_else(|_| iso.to_owned())
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (y, m, d) = self.ymd();
        write!(f, "{y:04}-{m:02}-{d:02}")
    }
}

impl TryFrom<String> for Date {
    type Error = String;
    fn try_from(s: String) -> Result<Self, String> {
        Date::parse(&s)
    }
}

impl From<Date> for String {
    fn from(d: Date) -> String {
        d.to_string()
    }
}

fn is_leap(y: i64) -> bool {
    (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
}

fn days_in_month(y: i64, m: u32) -> u32 {
    match m {
        2 if is_leap(y) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

// Howard Hinnant's civil-date algorithms.
fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i64::from(m);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn months_read_in_french() {
        assert_eq!(Date::parse("2026-11-28").unwrap().month_year_french(), "novembre 2026");
        assert_eq!(Date::parse("2027-02-01").unwrap().month_year_french(), "février 2027");
    }

    #[test]
    fn month_arithmetic_stays_inside_the_month() {
        let d = |s: &str| Date::parse(s).unwrap();
        assert_eq!(d("2026-01-31").add_months(1), d("2026-02-28"));
        assert_eq!(d("2028-01-31").add_months(1), d("2028-02-29"));
        assert_eq!(d("2026-03-15").add_months(-3), d("2025-12-15"));
        assert_eq!(d("2026-12-10").add_months(1), d("2027-01-10"));
        assert_eq!(d("2026-02-14").first_of_month(), d("2026-02-01"));
        assert_eq!(d("2028-02-14").last_of_month(), d("2028-02-29"));
        assert_eq!(d("2026-11-28").weekday(), 6, "a Saturday");
        assert_eq!(d("2026-03-29").weekday(), 0, "a Sunday");
        assert_eq!(d("2026-11-28").month_short_french(), "nov.");
    }

    #[test]
    fn parsing_and_arithmetic() {
        let d = Date::parse("2026-11-27").unwrap();
        assert_eq!(d.add_days(35).to_string(), "2027-01-01");
        assert_eq!(Date::parse("2028-02-29").unwrap().add_days(1).to_string(), "2028-03-01");
        assert!(Date::parse("2027-02-29").is_err());
        assert!(Date::parse("27/11/2026").is_err());
        assert_eq!(d.french(), "27/11/2026");
        assert_eq!(Date::from_unix(1_795_824_000).to_string(), "2026-11-28");
        assert_eq!(Date::from_unix(0).to_string(), "1970-01-01");
    }

    proptest! {
        #[test]
        fn days_round_trip(days in -25_000i64..300_000) {
            let d = Date { days };
            let (y, m, dd) = d.ymd();
            prop_assume!((1900..=2999).contains(&y));
            prop_assert_eq!(Date::from_ymd(y, m, dd), Some(d));
            prop_assert_eq!(Date::parse(&d.to_string()), Ok(d));
            prop_assert_eq!(d.add_days(1).days_until(d), -1);
        }
    }
}
