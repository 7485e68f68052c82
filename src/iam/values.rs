//! The formats of condition values IAM reads: numbers, ISO 8601 dates (or epoch seconds), IP
//! addresses and CIDR ranges.

pub fn is_number(s: &str) -> bool {
    let s = s.strip_prefix(['-', '+']).unwrap_or(s);
    let (int, frac) = s.split_once('.').unwrap_or((s, ""));
    !int.is_empty()
        && int.bytes().all(|c| c.is_ascii_digit())
        && frac.bytes().all(|c| c.is_ascii_digit())
        && !(s.contains('.') && frac.is_empty())
}

/// ISO 8601 as IAM reads it (a date, or a date and time with an optional fraction and zone), or
/// seconds since the epoch.
pub fn is_date(s: &str) -> bool {
    if !s.is_empty() && s.bytes().all(|c| c.is_ascii_digit()) {
        return true;
    }
    let digits = |t: &str, n: usize| t.len() == n && t.bytes().all(|c| c.is_ascii_digit());
    let (date, time) = match s.split_once('T') {
        Some((d, t)) => (d, Some(t)),
        None => (s, None),
    };
    let date_ok = match date.split('-').collect::<Vec<_>>()[..] {
        [y, m, d] => {
            digits(y, 4)
                && digits(m, 2)
                && digits(d, 2)
                && (1..=12).contains(&m.parse::<u8>().unwrap_or(0))
                && (1..=31).contains(&d.parse::<u8>().unwrap_or(0))
        }
        [y, m] => digits(y, 4) && digits(m, 2),
        [y] => digits(y, 4),
        _ => false,
    };
    let Some(time) = time else { return date_ok };
    let (clock, zone) = if let Some(c) = time.strip_suffix('Z') {
        (c, None)
    } else if let Some(i) = time.rfind(['+', '-']) {
        (&time[..i], Some(&time[i + 1..]))
    } else {
        (time, None)
    };
    let (clock, frac) = clock.split_once('.').unwrap_or((clock, "0"));
    let clock_ok = match clock.split(':').collect::<Vec<_>>()[..] {
        [h, m, s] => digits(h, 2) && digits(m, 2) && digits(s, 2),
        [h, m] => digits(h, 2) && digits(m, 2),
        _ => false,
    };
    let zone_ok = zone.is_none_or(|z| {
        matches!(z.split(':').collect::<Vec<_>>()[..], [h, m] if digits(h, 2) && digits(m, 2))
            || digits(z, 4)
            || digits(z, 2)
    });
    date_ok && clock_ok && zone_ok && !frac.is_empty() && frac.bytes().all(|c| c.is_ascii_digit())
}

pub fn is_ip_range(s: &str) -> bool {
    let (addr, prefix) = match s.split_once('/') {
        Some((a, p)) => (a, Some(p)),
        None => (s, None),
    };
    let Ok(ip) = addr.parse::<std::net::IpAddr>() else {
        return false;
    };
    let max = if ip.is_ipv4() { 32 } else { 128 };
    prefix.is_none_or(|p| {
        !p.is_empty()
            && p.len() <= 3
            && p.bytes().all(|c| c.is_ascii_digit())
            && p.parse::<u8>().is_ok_and(|n| n <= max)
    })
}
