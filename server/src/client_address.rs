//! Who a request comes from, for rate limits and log-in throttling. Behind a reverse proxy every
//! request arrives from the proxy: only from peers listed in `REGLO_TRUSTED_PROXIES` is
//! `X-Forwarded-For` (or `Forwarded`) believed, taking the rightmost address that is not itself a
//! trusted proxy (the leftmost ones are whatever the client chose to send). IPv6 clients are keyed
//! by their /64, the block one subscriber gets.

use std::net::IpAddr;

/// A trusted network: an address and how many leading bits must match.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Network {
    address: IpAddr,
    prefix: u8,
}

impl Network {
    /// `203.0.113.7`, `10.0.0.0/8`, `2001:db8::/32`.
    pub fn parse(text: &str) -> Result<Self, String> {
        let text = text.trim();
        let (address, prefix) = match text.split_once('/') {
            Some((a, p)) => (a, Some(p)),
            None => (text, None),
        };
        let address: IpAddr = address.parse().map_err(|_| format!("« {text} » n'est pas une adresse IP"))?;
        let max = if address.is_ipv4() { 32 } else { 128 };
        let prefix = match prefix {
            None => max,
            Some(p) => p
                .parse::<u8>()
                .ok()
                .filter(|p| *p <= max)
                .ok_or_else(|| format!("« {text} » : préfixe invalide"))?,
        };
        Ok(Self { address, prefix })
    }

    pub fn contains(&self, ip: IpAddr) -> bool {
        match (self.address, canonical(ip)) {
            (IpAddr::V4(net), IpAddr::V4(ip)) => same_prefix(&net.octets(), &ip.octets(), self.prefix),
            (IpAddr::V6(net), IpAddr::V6(ip)) => same_prefix(&net.octets(), &ip.octets(), self.prefix),
            _ => false,
        }
    }
}

/// Parses `REGLO_TRUSTED_PROXIES`: addresses or networks separated by commas or spaces.
pub fn parse_list(text: &str) -> Result<Vec<Network>, String> {
    text.split([',', ' ']).filter(|t| !t.trim().is_empty()).map(Network::parse).collect()
}

fn same_prefix(a: &[u8], b: &[u8], bits: u8) -> bool {
    let (whole, rest) = (usize::from(bits / 8), bits % 8);
    a[..whole] == b[..whole] && (rest == 0 || (a[whole] ^ b[whole]) >> (8 - rest) == 0)
}

/// IPv4 addresses that reach us mapped into IPv6 are IPv4.
fn canonical(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(ip, IpAddr::V4),
        v4 => v4,
    }
}

/// The address a request comes from, given its TCP peer and headers.
pub fn client_of(
    peer: IpAddr,
    forwarded_for: Option<&str>,
    forwarded: Option<&str>,
    trusted: &[Network],
) -> IpAddr {
    let peer = canonical(peer);
    if !trusted.iter().any(|n| n.contains(peer)) {
        return peer;
    }
    // The chain as the proxies appended it, nearest last.
    let chain: Vec<IpAddr> = match (forwarded_for, forwarded) {
        (Some(xff), _) => xff.split(',').filter_map(parse_hop).collect(),
        (None, Some(fwd)) => fwd
            .split(',')
            .filter_map(|element| {
                element.split(';').find_map(|pair| {
                    let (key, value) = pair.split_once('=')?;
                    key.trim().eq_ignore_ascii_case("for").then(|| parse_hop(value)).flatten()
                })
            })
            .collect(),
        (None, None) => Vec::new(),
    };
    chain.into_iter().rev().find(|ip| !trusted.iter().any(|n| n.contains(*ip))).unwrap_or(peer)
}

/// One hop of a forwarding header: `203.0.113.7`, `"[2001:db8::1]:4711"`, `198.51.100.2:80`.
fn parse_hop(text: &str) -> Option<IpAddr> {
    let text = text.trim().trim_matches('"');
    if let Ok(ip) = text.parse::<IpAddr>() {
        return Some(canonical(ip));
    }
    if let Some(rest) = text.strip_prefix('[') {
        return rest.split(']').next()?.parse().ok().map(canonical);
    }
    text.rsplit_once(':').and_then(|(host, _port)| host.parse().ok()).map(canonical)
}

/// The key limits count under: the address itself, or for IPv6 its /64.
pub fn limit_key(ip: IpAddr) -> String {
    match canonical(ip) {
        IpAddr::V4(v4) => v4.to_string(),
        IpAddr::V6(v6) => {
            let s = v6.segments();
            format!("{:x}:{:x}:{:x}:{:x}::/64", s[0], s[1], s[2], s[3])
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(text: &str) -> IpAddr {
        text.parse().unwrap()
    }

    #[test]
    fn networks_parse_and_match() {
        let list = parse_list("10.0.0.0/8, 192.168.1.7 2001:db8::/32").unwrap();
        assert!(list[0].contains(ip("10.200.3.4")) && !list[0].contains(ip("11.0.0.1")));
        assert!(list[1].contains(ip("192.168.1.7")) && !list[1].contains(ip("192.168.1.8")));
        assert!(list[2].contains(ip("2001:db8:ffff::1")) && !list[2].contains(ip("2001:db9::1")));
        assert!(list[0].contains(ip("::ffff:10.1.2.3")), "IPv4 mapped into IPv6 is IPv4");
        assert!(parse_list("10.0.0.0/33").is_err() && parse_list("proxy.local").is_err());
        assert_eq!(parse_list("").unwrap(), vec![]);
    }

    #[test]
    fn only_trusted_peers_are_believed() {
        let trusted = parse_list("10.0.0.1").unwrap();
        // A client talking to us directly cannot choose its address.
        assert_eq!(client_of(ip("203.0.113.9"), Some("1.2.3.4"), None, &trusted), ip("203.0.113.9"));
        // Through the proxy: the address the proxy saw, not what the client prepended.
        assert_eq!(
            client_of(ip("10.0.0.1"), Some("1.2.3.4, 198.51.100.7"), None, &trusted),
            ip("198.51.100.7")
        );
        // Through two proxies we trust: the rightmost address that is not one of them.
        let two = parse_list("10.0.0.0/24").unwrap();
        assert_eq!(client_of(ip("10.0.0.1"), Some("198.51.100.7, 10.0.0.2"), None, &two), ip("198.51.100.7"));
        // A proxy that sent no header: the proxy itself.
        assert_eq!(client_of(ip("10.0.0.1"), None, None, &trusted), ip("10.0.0.1"));
        assert_eq!(client_of(ip("10.0.0.1"), Some("garbage"), None, &trusted), ip("10.0.0.1"));
    }

    #[test]
    fn the_standard_forwarded_header_is_read_too() {
        let trusted = parse_list("10.0.0.1").unwrap();
        let header = r#"for=192.0.2.43, for="[2001:db8:cafe::17]:4711";proto=https"#;
        assert_eq!(client_of(ip("10.0.0.1"), None, Some(header), &trusted), ip("2001:db8:cafe::17"));
        assert_eq!(client_of(ip("10.0.0.1"), Some("198.51.100.7:443"), None, &trusted), ip("198.51.100.7"));
    }

    #[test]
    fn ipv6_clients_count_by_their_64() {
        assert_eq!(limit_key(ip("2001:db8:1:2:aaaa::1")), limit_key(ip("2001:db8:1:2:bbbb::9")));
        assert_ne!(limit_key(ip("2001:db8:1:2::1")), limit_key(ip("2001:db8:1:3::1")));
        assert_eq!(limit_key(ip("198.51.100.7")), "198.51.100.7");
        assert_eq!(limit_key(ip("::ffff:198.51.100.7")), "198.51.100.7");
    }
}
