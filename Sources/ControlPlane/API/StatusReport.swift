/// `GET /v1/status` and `tokenbroker status`.
public struct StatusReport: Codable, Sendable, Equatable {
    public var version: String
    public var pid: Int
    public var startedAt: String
    public var uptimeSeconds: Int
    public var listen: String
    public var controlSocket: String
    public var providers: Int
    public var offers: Int
    public var policies: Int
    public var catalogueBuiltAt: String
    /// Providers an operator disabled or is draining, and providers without credentials.
    public var providersOutOfRouting: [String]
    /// Requests routed (decisions handed to the log) since the daemon started.
    public var requestsSinceStart: Int
    public var decisions: Int
    public var decisionsToday: Int
    public var switchesToday: Int
    public var spendTodayUSD: String
    public var decisionLogPending: Int
    public var decisionLogFailing: Bool
    public var lastReloadError: String?
    public var store: String
    public var storeBytes: Int64

    public init(
        version: String, pid: Int, startedAt: String, uptimeSeconds: Int, listen: String, controlSocket: String,
        providers: Int, offers: Int, policies: Int, catalogueBuiltAt: String, providersOutOfRouting: [String],
        requestsSinceStart: Int, decisions: Int, decisionsToday: Int, switchesToday: Int, spendTodayUSD: String,
        decisionLogPending: Int, decisionLogFailing: Bool, lastReloadError: String?, store: String, storeBytes: Int64
    ) {
        self.version = version
        self.pid = pid
        self.startedAt = startedAt
        self.uptimeSeconds = uptimeSeconds
        self.listen = listen
        self.controlSocket = controlSocket
        self.providers = providers
        self.offers = offers
        self.policies = policies
        self.catalogueBuiltAt = catalogueBuiltAt
        self.providersOutOfRouting = providersOutOfRouting
        self.requestsSinceStart = requestsSinceStart
        self.decisions = decisions
        self.decisionsToday = decisionsToday
        self.switchesToday = switchesToday
        self.spendTodayUSD = spendTodayUSD
        self.decisionLogPending = decisionLogPending
        self.decisionLogFailing = decisionLogFailing
        self.lastReloadError = lastReloadError
        self.store = store
        self.storeBytes = storeBytes
    }

    enum CodingKeys: String, CodingKey {
        case version, pid, listen, providers, offers, policies, decisions, store
        case startedAt = "started_at"
        case uptimeSeconds = "uptime_seconds"
        case controlSocket = "control_socket"
        case catalogueBuiltAt = "catalogue_built_at"
        case providersOutOfRouting = "providers_out_of_routing"
        case requestsSinceStart = "requests_since_start"
        case decisionsToday = "decisions_today"
        case switchesToday = "switches_today"
        case spendTodayUSD = "spend_today_usd"
        case decisionLogPending = "decision_log_pending"
        case decisionLogFailing = "decision_log_failing"
        case lastReloadError = "last_reload_error"
        case storeBytes = "store_bytes"
    }
}
