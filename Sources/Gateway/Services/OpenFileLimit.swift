import Glibc

/// The process's open-file limit. Every request in flight holds a client connection and,
/// over HTTP/1.1, an upstream one: at the common soft limit of 1,024 a few hundred
/// concurrent requests exhaust it, and the upstream connections that then fail to open look
/// like a failing provider to the circuit breaker. So the daemon raises its soft limit to
/// the hard one at start, as nginx's `worker_rlimit_nofile` or Go's runtime do.
enum OpenFileLimit {
    /// Beyond this the kernel's `fs.nr_open` usually refuses, and no daemon here needs more.
    static let ceiling: rlim_t = 1 << 20

    /// Raises the soft limit as far as the hard limit (and ``ceiling``) allow; returns the
    /// limit before and after, and the hard limit; nil if the limit cannot be read. A refusal
    /// leaves the limit as it was.
    static func raise() -> (before: UInt64, after: UInt64, hard: UInt64)? {
        var limit = rlimit()
        guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0 else { return nil }
        let before = limit.rlim_cur
        let wanted = min(limit.rlim_max, ceiling)
        if before < wanted {
            var raised = limit
            raised.rlim_cur = wanted
            if setrlimit(Int32(RLIMIT_NOFILE.rawValue), &raised) == 0 { limit = raised }
        }
        return (UInt64(before), UInt64(limit.rlim_cur), UInt64(limit.rlim_max))
    }

    /// Requests in flight the limit allows, roughly: two descriptors each, and some for the
    /// store, the listeners and the logs.
    static func requestsInFlight(limit: UInt64) -> UInt64 {
        limit > 64 ? (limit - 64) / 2 : 0
    }
}
