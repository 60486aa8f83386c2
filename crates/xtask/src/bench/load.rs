//! Load from wrk: one run's figures, including how many answers had each status.

use anyhow::{bail, Context};
use std::collections::BTreeMap;
use std::path::Path;
use std::process::{Child, Command, Stdio};

pub const CONNECTIONS: u32 = 64;
pub const SECONDS: u32 = 10;

/// Appended to the script of scenarios that expect other statuses than 2xx: counts answers by status in each thread and
/// prints the totals as `status CODE COUNT` lines when wrk is done.
const COUNT_STATUSES: &str = r#"
local threads = {}
local scenario_setup = setup
function setup(thread)
  table.insert(threads, thread)
  if scenario_setup then scenario_setup(thread) end
end
statuses = {}
function response(status, headers, body) statuses[status] = (statuses[status] or 0) + 1 end
function done(summary, latency, requests)
  local total = {}
  for _, thread in ipairs(threads) do
    for code, n in pairs(thread:get("statuses")) do total[code] = (total[code] or 0) + n end
  end
  for code, n in pairs(total) do io.write(string.format("status %d %d\n", code, n)) end
end
"#;

/// One wrk run's figures.
#[derive(Debug)]
pub struct Load {
    pub requests_per_sec: f64,
    pub p50_ms: f64,
    pub p99_ms: f64,
    pub statuses: BTreeMap<u16, u64>,
}

impl Load {
    pub fn count(&self, status: u16) -> u64 {
        self.statuses.get(&status).copied().unwrap_or(0)
    }
}

/// A scenario for wrk: what to request and with how many connections.
pub struct Wrk {
    url: String,
    connections: u32,
    script: String,
    /// Statuses other than 2xx that this scenario expects (429 under the limit).
    expected: Vec<u16>,
}

impl Wrk {
    pub fn get(url: &str) -> Wrk {
        Wrk { url: url.to_string(), connections: CONNECTIONS, script: String::new(), expected: Vec::new() }
    }

    pub fn connections(mut self, n: u32) -> Wrk {
        self.connections = n;
        self
    }

    pub fn header(mut self, name: &str, value: &str) -> Wrk {
        self.script.push_str(&format!("wrk.headers[{}] = {}\n", lua(name), lua(value)));
        self
    }

    /// Every request sends this method and body.
    pub fn body(mut self, method: &str, content_type: &str, body: &str) -> Wrk {
        self.script.push_str(&format!(
            "wrk.method = {}\nwrk.body = {}\nwrk.headers[\"Content-Type\"] = {}\n",
            lua(method),
            lua(body),
            lua(content_type)
        ));
        self
    }

    /// A Lua `request()` function that builds each request (for bodies that must differ).
    pub fn request_fn(mut self, lua_source: &str) -> Wrk {
        self.script.push_str(lua_source);
        self
    }

    /// Each connection waits this long between requests: a steady, light load.
    pub fn paced(mut self, millis: u32) -> Wrk {
        self.script.push_str(&format!("function delay() return {millis} end\n"));
        self
    }

    pub fn expect(mut self, status: u16) -> Wrk {
        self.expected.push(status);
        self
    }

    /// Starts wrk; [`Running::finish`] waits for its figures.
    pub fn spawn(self, scratch: &Path) -> anyhow::Result<Running> {
        let script = scratch.join(format!("wrk-{}.lua", self.url.len() + self.script.len() + rand_suffix()));
        // Counting in Lua costs wrk time, so only scenarios that expect other statuses pay it.
        let counting = if self.expected.is_empty() { "" } else { COUNT_STATUSES };
        std::fs::write(&script, format!("{}{counting}", self.script))?;
        let child = Command::new("wrk")
            .args(["-t2", "-c", &self.connections.to_string(), "-d", &format!("{SECONDS}s"), "--latency", "-s"])
            .arg(&script)
            .arg(&self.url)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .context("could not start wrk")?;
        Ok(Running { child, wrk: self })
    }

    pub fn run(self, scratch: &Path) -> anyhow::Result<Load> {
        self.spawn(scratch)?.finish()
    }
}

/// A wrk run in progress.
pub struct Running {
    child: Child,
    wrk: Wrk,
}

impl Running {
    pub fn finish(self) -> anyhow::Result<Load> {
        let out = self.child.wait_with_output().context("wrk did not finish")?;
        let text = String::from_utf8_lossy(&out.stdout);
        if !out.status.success() {
            bail!("wrk failed: {}{}", text, String::from_utf8_lossy(&out.stderr));
        }
        let load = parse(&text).with_context(|| format!("could not read wrk's output:\n{text}"))?;
        let non_2xx = text.lines().find_map(|l| l.trim().strip_prefix("Non-2xx or 3xx responses:"));
        let unexpected =
            load.statuses.keys().any(|code| !(200..300).contains(code) && !self.wrk.expected.contains(code));
        if unexpected || (self.wrk.expected.is_empty() && non_2xx.is_some()) {
            bail!(
                "unexpected answers from {} during the load; the figures would be meaningless:\n{text}",
                self.wrk.url
            );
        }
        Ok(load)
    }
}

/// Distinct script names for wrk runs that overlap.
fn rand_suffix() -> usize {
    use std::sync::atomic::{AtomicUsize, Ordering};
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    NEXT.fetch_add(1, Ordering::Relaxed)
}

/// A Lua string literal.
fn lua(text: &str) -> String {
    format!("\"{}\"", text.replace('\\', "\\\\").replace('"', "\\\""))
}

fn parse(text: &str) -> Option<Load> {
    let field = |prefix: &str| text.lines().find_map(|l| l.trim().strip_prefix(prefix).map(|v| v.trim().to_string()));
    let requests_per_sec = field("Requests/sec:")?.parse().ok()?;
    let statuses = text
        .lines()
        .filter_map(|l| {
            let mut words = l.strip_prefix("status ")?.split_whitespace();
            Some((words.next()?.parse().ok()?, words.next()?.parse().ok()?))
        })
        .collect();
    Some(Load { requests_per_sec, p50_ms: millis(&field("50%")?)?, p99_ms: millis(&field("99%")?)?, statuses })
}

/// wrk prints `812.00us`, `1.23ms` or `2.01s`.
fn millis(value: &str) -> Option<f64> {
    let split = value.find(|c: char| c.is_ascii_alphabetic())?;
    let (number, unit) = value.split_at(split);
    let number: f64 = number.parse().ok()?;
    match unit {
        "us" => Some(number / 1000.0),
        "ms" => Some(number),
        "s" => Some(number * 1000.0),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrk_latencies_read_in_milliseconds() {
        assert_eq!(millis("812.00us"), Some(0.812));
        assert_eq!(millis("1.50ms"), Some(1.5));
        assert_eq!(millis("2.00s"), Some(2000.0));
    }

    #[test]
    fn wrk_output_gives_throughput_percentiles_and_statuses() {
        let text = "  Latency Distribution\n     50%  620.00us\n     75%    1.00ms\n     90%    2.00ms\n     99%    4.25ms\n  \
                    100000 requests in 10.00s, 20.00MB read\nRequests/sec:  10000.50\nTransfer/sec:      2.00MB\n\
                    status 200 15\nstatus 429 99985\n";
        let load = parse(text).unwrap();
        assert_eq!(load.requests_per_sec, 10000.5);
        assert_eq!((load.p50_ms, load.p99_ms), (0.62, 4.25));
        assert_eq!((load.count(200), load.count(429), load.count(500)), (15, 99985, 0));
    }

    #[test]
    fn lua_strings_are_escaped() {
        assert_eq!(lua(r#"{"a":"b\c"}"#), r#""{\"a\":\"b\\c\"}""#);
    }
}
