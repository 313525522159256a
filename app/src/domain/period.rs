//! Calendar periods for revenue: months, quarters and years, inclusive of both ends, and the
//! French calendar date of an instant. A business in France closes its day at midnight in
//! Paris, so a payment received at 00:30 on 1 December (Paris) belongs to December even
//! though it is still 30 November in UTC.

use super::Date;
use serde::{Deserialize, Serialize};

/// From `from` to `to`, both included.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Period {
    pub from: Date,
    pub to: Date,
}

impl Period {
    /// Checks the order of the two ends.
    pub fn new(from: Date, to: Date) -> Result<Self, String> {
        if from > to {
            return Err("La date de début doit précéder la date de fin.".into());
        }
        Ok(Self { from, to })
    }

    pub fn month_of(date: Date) -> Self {
        Self { from: date.first_of_month(), to: date.last_of_month() }
    }

    pub fn quarter_of(date: Date) -> Self {
        let first = date.first_of_month().add_months(-(i64::from(date.month() - 1) % 3));
        Self { from: first, to: first.add_months(2).last_of_month() }
    }

    pub fn year_of(date: Date) -> Self {
        let first = date.first_of_month().add_months(-i64::from(date.month() - 1));
        Self { from: first, to: first.add_months(11).last_of_month() }
    }

    /// The same dates a year earlier (29 February becomes the 28th).
    pub fn a_year_earlier(self) -> Self {
        Self { from: self.from.add_months(-12), to: self.to.add_months(-12) }
    }

    /// This period up to `day` included (the part already lived), or as it is if `day` is later.
    pub fn until(self, day: Date) -> Self {
        Self { from: self.from, to: self.to.min(day).max(self.from) }
    }

    pub fn contains(self, date: Date) -> bool {
        self.from <= date && date <= self.to
    }

    /// Each month the period touches, as whole months, oldest first.
    pub fn months(self) -> Vec<Period> {
        let mut months = Vec::new();
        let mut first = self.from.first_of_month();
        while first <= self.to {
            months.push(Period::month_of(first));
            first = first.add_months(1);
        }
        months
    }

    /// « 3e trimestre 2026 », when the period is a calendar quarter.
    pub fn quarter_label(self) -> String {
        let q = (self.from.month() - 1) / 3 + 1;
        let suffix = if q == 1 { "er" } else { "e" };
        format!("{q}{suffix} trimestre {}", self.from.year())
    }
}

/// The twelve whole months ending with the month of `today`, oldest first.
pub fn last_twelve_months(today: Date) -> Period {
    let month = Period::month_of(today);
    Period { from: month.from.add_months(-11), to: month.to }
}

/// The calendar date in Paris at a Unix instant.
pub fn paris_date(unix_seconds: i64) -> Date {
    Date::from_unix(unix_seconds + paris_offset(unix_seconds))
}

/// The hour of the day in Paris (0–23).
pub fn paris_hour(unix_seconds: i64) -> i64 {
    (unix_seconds + paris_offset(unix_seconds)).rem_euclid(86_400) / 3_600
}

/// « 08/01/2027 à 08:00 », Paris time.
pub fn paris_datetime_label(unix_seconds: i64) -> String {
    let minutes = (unix_seconds + paris_offset(unix_seconds)).rem_euclid(86_400) / 60;
    format!("{} à {:02}:{:02}", paris_date(unix_seconds).french(), minutes / 60, minutes % 60)
}

/// The instant of `hour`:00 in Paris on `date`.
pub fn paris_instant(date: Date, hour: i64) -> i64 {
    let local = unix_of(date) + hour * 3_600;
    // The offset at that instant, found from the local time minus the winter offset (the
    // switches happen at night, far from the hours asked for).
    local - paris_offset(local - 3_600)
}

/// Paris is UTC+1, and UTC+2 in summer time: from the last Sunday of March to the last Sunday
/// of October, switching at 01:00 UTC both times (EU rule since 1996).
fn paris_offset(unix_seconds: i64) -> i64 {
    let year = Date::from_unix(unix_seconds).year();
    let switch = |month: u32| {
        let last = Date::from_ymd(year, month, 1).map_or(0, |d| unix_of(d.last_of_month()));
        let last_date = Date::from_unix(last);
        let sunday = last - i64::from(last_date.weekday()) * 86_400;
        sunday + 3_600
    };
    if (switch(3)..switch(10)).contains(&unix_seconds) {
        7_200
    } else {
        3_600
    }
}

fn unix_of(date: Date) -> i64 {
    Date::from_unix(0).days_until(date) * 86_400
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Date {
        Date::parse(s).unwrap()
    }

    fn p(from: &str, to: &str) -> Period {
        Period { from: d(from), to: d(to) }
    }

    /// Seconds since the epoch of a UTC date and time.
    fn utc(date: &str, hour: i64, minute: i64) -> i64 {
        unix_of(d(date)) + hour * 3_600 + minute * 60
    }

    #[test]
    fn months_quarters_and_years() {
        assert_eq!(Period::month_of(d("2026-02-14")), p("2026-02-01", "2026-02-28"));
        assert_eq!(Period::month_of(d("2028-02-29")), p("2028-02-01", "2028-02-29"));
        assert_eq!(Period::quarter_of(d("2026-01-01")), p("2026-01-01", "2026-03-31"));
        assert_eq!(Period::quarter_of(d("2026-05-31")), p("2026-04-01", "2026-06-30"));
        assert_eq!(Period::quarter_of(d("2026-09-30")), p("2026-07-01", "2026-09-30"));
        assert_eq!(Period::quarter_of(d("2026-11-28")), p("2026-10-01", "2026-12-31"));
        assert_eq!(Period::year_of(d("2026-11-28")), p("2026-01-01", "2026-12-31"));
        assert_eq!(Period::quarter_of(d("2026-08-15")).quarter_label(), "3e trimestre 2026");
        assert_eq!(Period::quarter_of(d("2027-01-15")).quarter_label(), "1er trimestre 2027");
    }

    #[test]
    fn the_same_period_last_year() {
        let q = Period::quarter_of(d("2026-11-28")).until(d("2026-11-28"));
        assert_eq!(q, p("2026-10-01", "2026-11-28"));
        assert_eq!(q.a_year_earlier(), p("2025-10-01", "2025-11-28"));
        assert_eq!(p("2028-02-01", "2028-02-29").a_year_earlier(), p("2027-02-01", "2027-02-28"));
        assert_eq!(Period::year_of(d("2026-03-01")).until(d("2027-05-01")), Period::year_of(d("2026-03-01")));
    }

    #[test]
    fn twelve_months_end_with_this_month() {
        let year = last_twelve_months(d("2026-11-28"));
        assert_eq!(year, p("2025-12-01", "2026-11-30"));
        let months = year.months();
        assert_eq!(months.len(), 12);
        assert_eq!(months[0], p("2025-12-01", "2025-12-31"));
        assert_eq!(months[2], p("2026-02-01", "2026-02-28"));
        assert_eq!(months[11], p("2026-11-01", "2026-11-30"));
        assert!(Period::new(d("2026-02-01"), d("2026-01-31")).is_err());
    }

    #[test]
    fn paris_days_end_at_midnight_in_paris() {
        // Winter (UTC+1): 23:30 UTC on 30 November is already 1 December in Paris.
        assert_eq!(paris_date(utc("2026-11-30", 22, 59)), d("2026-11-30"));
        assert_eq!(paris_date(utc("2026-11-30", 23, 0)), d("2026-12-01"));
        // Summer (UTC+2): 22:00 UTC on 30 June is 1 July in Paris.
        assert_eq!(paris_date(utc("2026-06-30", 21, 59)), d("2026-06-30"));
        assert_eq!(paris_date(utc("2026-06-30", 22, 0)), d("2026-07-01"));
        // New Year's Eve, the year changes in Paris an hour before UTC.
        assert_eq!(paris_date(utc("2026-12-31", 23, 0)), d("2027-01-01"));
    }

    #[test]
    fn paris_hours_follow_summer_time() {
        assert_eq!(paris_hour(utc("2026-11-30", 7, 0)), 8);
        assert_eq!(paris_hour(utc("2026-06-30", 6, 0)), 8);
        assert_eq!(paris_hour(utc("2026-11-30", 23, 30)), 0);
        assert_eq!(paris_instant(d("2026-12-01"), 8), utc("2026-12-01", 7, 0));
        assert_eq!(paris_instant(d("2026-07-01"), 8), utc("2026-07-01", 6, 0));
        assert_eq!(paris_instant(d("2026-03-29"), 8), utc("2026-03-29", 6, 0), "the first summer day");
        assert_eq!(paris_datetime_label(utc("2027-01-08", 7, 5)), "08/01/2027 à 08:05");
    }

    #[test]
    fn summer_time_switches_on_the_last_sundays_at_one_utc() {
        // 2026: summer time from Sunday 29 March to Sunday 25 October.
        assert_eq!(paris_offset(utc("2026-03-29", 0, 59)), 3_600);
        assert_eq!(paris_offset(utc("2026-03-29", 1, 0)), 7_200);
        assert_eq!(paris_offset(utc("2026-10-25", 0, 59)), 7_200);
        assert_eq!(paris_offset(utc("2026-10-25", 1, 0)), 3_600);
        // 2027: from 28 March to 31 October (the last day of October is a Sunday).
        assert_eq!(paris_offset(utc("2027-03-28", 1, 0)), 7_200);
        assert_eq!(paris_offset(utc("2027-10-31", 0, 30)), 7_200);
        assert_eq!(paris_offset(utc("2027-10-31", 1, 0)), 3_600);
    }
}
