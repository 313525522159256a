//! Automatic reminders (« relances »): a business's policy — on or off, and its steps in days
//! relative to the due date — and when each step of an unpaid invoice goes out. Pure: the
//! worker asks [`step_due`] with the clock's time; the invoice page shows [`next_planned`].

use super::period::{paris_date, paris_hour, paris_instant};
use super::{Date, FieldErrors, Money};
use serde::{Deserialize, Serialize};

/// J−3 (a friendly reminder), then J+1, J+8 and J+15 after the due date.
pub const DEFAULT_STEPS: [i64; 4] = [-3, 1, 8, 15];
/// One template per step: the « Relance 1 » … « Relance 4 » e-mails.
pub const MAX_STEPS: usize = 4;
const EARLIEST: i64 = -30;
const LATEST: i64 = 90;
/// Reminders leave between 08:00 and 20:00, Paris time.
pub const OPENS: i64 = 8;
pub const CLOSES: i64 = 20;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReminderPolicy {
    pub enabled: bool,
    /// Days from the due date, ascending and distinct.
    pub steps: Vec<i64>,
}

impl Default for ReminderPolicy {
    /// What a new business starts with: on, with the default steps.
    fn default() -> Self {
        Self { enabled: true, steps: DEFAULT_STEPS.to_vec() }
    }
}

impl ReminderPolicy {
    /// Checks the steps (1 to 4, each from J−30 to J+90, no day twice) and sorts them.
    pub fn new(enabled: bool, steps: &[i64]) -> Result<Self, FieldErrors> {
        let mut errors = FieldErrors::default();
        let mut sorted = steps.to_vec();
        sorted.sort_unstable();
        sorted.dedup();
        if steps.is_empty() {
            errors.push("steps", "Indiquez au moins une relance, par exemple J+1.");
        } else if steps.len() > MAX_STEPS {
            errors.push("steps", format!("{MAX_STEPS} relances au maximum."));
        } else if sorted.len() != steps.len() {
            errors.push("steps", "Deux relances tombent le même jour : indiquez des jours différents.");
        } else if let Some(out) = sorted.iter().find(|d| !(EARLIEST..=LATEST).contains(*d)) {
            errors.push(
                "steps",
                format!(
                    "{} est hors limites : une relance part entre {} et {} de l'échéance.",
                    step_label(*out),
                    step_label(EARLIEST),
                    step_label(LATEST)
                ),
            );
        }
        if errors.is_empty() {
            Ok(Self { enabled, steps: sorted })
        } else {
            Err(errors)
        }
    }

    /// « J−3, J+1, J+8 et J+15 ».
    pub fn summary(&self) -> String {
        let labels: Vec<String> = self.steps.iter().map(|d| step_label(*d)).collect();
        match labels.split_last() {
            Some((last, [])) => last.clone(),
            Some((last, rest)) => format!("{} et {last}", rest.join(", ")),
            None => String::new(),
        }
    }

    /// The policy as stored, or the default steps should the stored ones no longer read (they
    /// are never written so).
    pub fn stored(enabled: bool, steps: &str) -> Self {
        parse_steps(steps)
            .ok()
            .and_then(|steps| Self::new(enabled, &steps).ok())
            .unwrap_or(Self { enabled, ..Self::default() })
    }

    /// As stored: « -3, 1, 8, 15 ».
    pub fn steps_text(&self) -> String {
        self.steps.iter().map(ToString::to_string).collect::<Vec<_>>().join(", ")
    }

    /// As the settings form shows them, easy to retype: « J-3, J+1, J+8, J+15 ».
    pub fn steps_input(&self) -> String {
        self.steps.iter().map(|d| step_label(*d).replace('−', "-")).collect::<Vec<_>>().join(", ")
    }
}

/// Reads the steps as typed: « -3, 1, 8, 15 », « J-3 ; J+1 » or « J−3 J+8 ».
pub fn parse_steps(text: &str) -> Result<Vec<i64>, String> {
    text.split([',', ';', ' '])
        .map(str::trim)
        .filter(|part| !part.is_empty())
        .map(|part| {
            let number = part.trim_start_matches(['J', 'j']).replace('−', "-");
            let number = number.strip_prefix('+').unwrap_or(&number);
            match number.parse::<i64>() {
                Ok(days) => Ok(days),
                Err(_) if number.is_empty() => Ok(0),
                Err(_) => Err(format!("« {part} » n'est pas un jour : écrivez par exemple J-3, J+1, J+8.")),
            }
        })
        .collect()
}

/// « J−3 », « J » (the due date itself), « J+8 ».
pub fn step_label(days: i64) -> String {
    match days {
        0 => "J".into(),
        d if d < 0 => format!("J−{}", d.unsigned_abs()),
        d => format!("J+{d}"),
    }
}

/// What the schedule needs to know of an unpaid invoice.
#[derive(Debug, Clone, Copy)]
pub struct Unpaid<'a> {
    pub issued: Date,
    pub due: Date,
    /// The steps already sent for it (days from the due date).
    pub sent: &'a [i64],
}

impl Unpaid<'_> {
    /// A step falls on a day after the invoice was issued (never a reminder the day it leaves).
    fn applies(&self, days: i64) -> bool {
        self.due.add_days(days) > self.issued
    }

    /// The latest step whose day has come on `today`, unless it or a later one was sent: after
    /// downtime only that one goes out, never the stale ones before it.
    fn pending(&self, policy: &ReminderPolicy, today: Date) -> Option<(usize, i64)> {
        let last_sent = self.sent.iter().max().copied();
        policy
            .steps
            .iter()
            .enumerate()
            .rev()
            .find(|(_, &days)| self.applies(days) && self.due.add_days(days) <= today)
            .filter(|(_, &days)| last_sent.is_none_or(|last| days > last))
            .map(|(index, &days)| (index, days))
    }
}

fn working_hours(now: i64) -> bool {
    (OPENS..CLOSES).contains(&paris_hour(now))
}

/// The step to send at `now` (its index in the policy, which picks its template, and its day):
/// `None` outside working hours, when the policy is off, or when nothing is due.
pub fn step_due(policy: &ReminderPolicy, invoice: &Unpaid, now: i64) -> Option<(usize, i64)> {
    if !policy.enabled || !working_hours(now) {
        return None;
    }
    invoice.pending(policy, paris_date(now))
}

/// The next reminder and when it goes out: a step due now leaves within the minute (at 08:00
/// when it fell due outside working hours); a later one at 08:00 on its day.
pub fn next_planned(policy: &ReminderPolicy, invoice: &Unpaid, now: i64) -> Option<(i64, i64)> {
    if !policy.enabled {
        return None;
    }
    let today = paris_date(now);
    if let Some((_, days)) = invoice.pending(policy, today) {
        let at = match paris_hour(now) {
            hour if hour < OPENS => paris_instant(today, OPENS),
            hour if hour >= CLOSES => paris_instant(today.add_days(1), OPENS),
            _ => now,
        };
        return Some((days, at));
    }
    let last_sent = invoice.sent.iter().max().copied();
    policy
        .steps
        .iter()
        .find(|&&days| {
            invoice.applies(days) && invoice.due.add_days(days) > today && last_sent.is_none_or(|l| days > l)
        })
        .map(|&days| (days, paris_instant(invoice.due.add_days(days), OPENS)))
}

/// Whole days past the due date on `today` (0 before it).
pub fn days_late(due: Date, today: Date) -> i64 {
    due.days_until(today).max(0)
}

/// Late-payment penalties on `amount` at `rate_bp` a year for `days` (art. L441-10 du Code de
/// commerce), rounded to the cent.
pub fn penalties(amount: Money, rate_bp: u32, days: i64) -> Money {
    let cents = super::money::div_round_half_away(
        i128::from(amount.cents().max(0)) * i128::from(rate_bp) * i128::from(days.max(0)),
        10_000 * 365,
    );
    Money::from_cents(cents as i64)
}

/// The fixed indemnity for recovery costs a business client owes when late (art. D441-5).
pub const RECOVERY_INDEMNITY: Money = Money::from_cents(4_000);

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Date {
        Date::parse(s).unwrap()
    }

    /// `hour`:`minute` in Paris on `date` (winter: UTC+1).
    fn at(date: &str, hour: i64, minute: i64) -> i64 {
        paris_instant(d(date), hour) + minute * 60
    }

    /// Issued on 1 December, due on 31 December 2026.
    fn unpaid(sent: &[i64]) -> Unpaid<'_> {
        Unpaid { issued: d("2026-12-01"), due: d("2026-12-31"), sent }
    }

    #[test]
    fn each_step_goes_out_on_its_day_in_working_hours() {
        let policy = ReminderPolicy::default();
        assert_eq!(step_due(&policy, &unpaid(&[]), at("2026-12-27", 12, 0)), None, "J−4: nothing yet");
        assert_eq!(step_due(&policy, &unpaid(&[]), at("2026-12-28", 7, 59)), None, "before 08:00");
        assert_eq!(step_due(&policy, &unpaid(&[]), at("2026-12-28", 8, 0)), Some((0, -3)));
        assert_eq!(step_due(&policy, &unpaid(&[-3]), at("2026-12-28", 8, 1)), None, "sent once");
        assert_eq!(step_due(&policy, &unpaid(&[-3]), at("2026-12-31", 15, 0)), None, "the due date itself");
        assert_eq!(step_due(&policy, &unpaid(&[-3]), at("2027-01-01", 8, 0)), Some((1, 1)));
        assert_eq!(step_due(&policy, &unpaid(&[-3, 1]), at("2027-01-08", 19, 59)), Some((2, 8)));
        assert_eq!(step_due(&policy, &unpaid(&[-3, 1]), at("2027-01-08", 20, 0)), None, "after 20:00");
        assert_eq!(step_due(&policy, &unpaid(&[-3, 1, 8]), at("2027-01-15", 9, 0)), Some((3, 15)));
        assert_eq!(step_due(&policy, &unpaid(&[-3, 1, 8, 15]), at("2027-03-01", 9, 0)), None, "all sent");
        let off = ReminderPolicy { enabled: false, ..ReminderPolicy::default() };
        assert_eq!(step_due(&off, &unpaid(&[]), at("2027-01-01", 9, 0)), None);
    }

    #[test]
    fn after_twenty_days_down_only_the_latest_due_step_goes_out() {
        let policy = ReminderPolicy::default();
        // Down from 26 December to 15 January: J−3, J+1 and J+8 were missed.
        assert_eq!(step_due(&policy, &unpaid(&[]), at("2027-01-15", 8, 0)), Some((3, 15)));
        assert_eq!(step_due(&policy, &unpaid(&[15]), at("2027-01-15", 8, 1)), None, "not the stale ones");
        // Down from 2 to 9 January with J+1 sent: J+8 goes out, late, once.
        assert_eq!(step_due(&policy, &unpaid(&[-3, 1]), at("2027-01-10", 10, 0)), Some((2, 8)));
    }

    #[test]
    fn a_step_before_the_issue_day_is_skipped() {
        let policy = ReminderPolicy::default();
        // Issued two days before it is due: J−3 fell before, J+1 is the first.
        let late_issue = Unpaid { issued: d("2026-12-29"), due: d("2026-12-31"), sent: &[] };
        assert_eq!(step_due(&policy, &late_issue, at("2026-12-29", 10, 0)), None);
        assert_eq!(
            next_planned(&policy, &late_issue, at("2026-12-29", 10, 0)),
            Some((1, at("2027-01-01", 8, 0)))
        );
    }

    #[test]
    fn the_due_date_moves_the_schedule_and_weekends_are_not_special() {
        let policy = ReminderPolicy::default();
        // A partial credit note leaves the invoice due; its steps follow its due date: here a
        // Saturday (2 January 2027) for J+1, sent that day like any other.
        assert_eq!(d("2027-01-02").weekday(), 6);
        assert_eq!(step_due(&policy, &unpaid(&[-3]), at("2027-01-02", 8, 0)), Some((1, 1)));
        let later = Unpaid { due: d("2027-01-10"), ..unpaid(&[-3]) };
        assert_eq!(step_due(&policy, &later, at("2027-01-02", 8, 0)), None, "J+1 of the new date is later");
        assert_eq!(next_planned(&policy, &later, at("2027-01-02", 8, 0)), Some((1, at("2027-01-11", 8, 0))));
    }

    #[test]
    fn the_next_reminder_is_planned_at_eight_or_right_away() {
        let policy = ReminderPolicy::default();
        let none = unpaid(&[]);
        assert_eq!(next_planned(&policy, &none, at("2026-12-01", 10, 0)), Some((-3, at("2026-12-28", 8, 0))));
        let now = at("2026-12-28", 14, 30);
        assert_eq!(next_planned(&policy, &none, now), Some((-3, now)), "due now: within the minute");
        assert_eq!(
            next_planned(&policy, &none, at("2026-12-28", 21, 0)),
            Some((-3, at("2026-12-29", 8, 0))),
            "due after 20:00: tomorrow at 08:00"
        );
        assert_eq!(next_planned(&policy, &unpaid(&[-3, 1, 8, 15]), at("2027-02-01", 9, 0)), None);
    }

    #[test]
    fn summer_time_keeps_eight_o_clock_in_paris() {
        let policy = ReminderPolicy { enabled: true, steps: vec![1] };
        let june = Unpaid { issued: d("2026-06-01"), due: d("2026-06-30"), sent: &[] };
        assert_eq!(next_planned(&policy, &june, at("2026-06-10", 9, 0)), Some((1, at("2026-07-01", 8, 0))));
        assert_eq!(paris_hour(at("2026-07-01", 8, 0)), 8);
        assert_eq!(step_due(&policy, &june, at("2026-07-01", 7, 59)), None);
        assert_eq!(step_due(&policy, &june, at("2026-07-01", 8, 0)), Some((0, 1)));
    }

    #[test]
    fn policies_are_checked_and_read_as_typed() {
        assert_eq!(ReminderPolicy::new(true, &[15, -3, 8, 1]).unwrap(), ReminderPolicy::default());
        assert_eq!(parse_steps("J-3, J+1 ; J+8 J+15").unwrap(), vec![-3, 1, 8, 15]);
        assert_eq!(parse_steps("J−3, J").unwrap(), vec![-3, 0]);
        assert!(parse_steps("J+1, demain").unwrap_err().contains("demain"));
        let error =
            |steps: &[i64]| ReminderPolicy::new(true, steps).unwrap_err().get("steps").unwrap().to_owned();
        assert!(error(&[]).contains("au moins une"));
        assert!(error(&[1, 2, 3, 4, 5]).contains("4 relances au maximum"));
        assert!(error(&[1, 1]).contains("même jour"));
        assert!(error(&[1, 120]).contains("J+120"));
        assert!(error(&[i64::MIN]).contains("J−9223372036854775808"), "any number typed is answered");
        assert_eq!(ReminderPolicy::default().summary(), "J−3, J+1, J+8 et J+15");
        assert_eq!(ReminderPolicy::default().steps_text(), "-3, 1, 8, 15");
        let typed = ReminderPolicy::default().steps_input();
        assert_eq!(typed, "J-3, J+1, J+8, J+15");
        assert_eq!(parse_steps(&typed).unwrap(), DEFAULT_STEPS);
    }

    #[test]
    fn penalties_run_per_day_at_the_yearly_rate() {
        // 1 000 € at 10 % a year for 73 days: 20 €.
        assert_eq!(penalties(Money::from_cents(100_000), 1_000, 73), Money::from_cents(2_000));
        assert_eq!(penalties(Money::from_cents(100_000), 1_000, 0), Money::ZERO);
        assert_eq!(days_late(d("2026-12-31"), d("2027-01-08")), 8);
        assert_eq!(days_late(d("2026-12-31"), d("2026-12-28")), 0);
    }
}
