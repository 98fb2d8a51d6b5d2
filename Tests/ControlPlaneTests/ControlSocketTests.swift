import BrokerCore
import BrokerFixtures
import BrokerStore
import ControlPlane
import Foundation
import Testing

/// The real `tokenbroker` against the real `tokenbrokerd` over its control socket.
@Suite(.serialized) struct ControlSocketTests {
    func json<T: Decodable>(_ type: T.Type, _ result: CLIProcess.Result) throws -> T {
        #expect(result.status == 0, "\(result.stderr)")
        return try JSONDecoder().decode(type, from: Data(result.stdout.utf8))
    }

    /// A decision of stream ops/auto yesterday on alpha, so today's first request continues the stream.
    static func seedYesterday(_ store: SQLiteStore) throws {
        let yesterday = Date().addingTimeInterval(-86_400)
        try store.recordDecisions([
            DecisionRecord(
                id: "seed-1", at: yesterday, tenant: "ops", policy: "auto", target: "auto",
                chosen: OfferID(provider: "alpha", model: "m-open"), expectedCost: Money(nanoUSD: 1_000), priceEffectiveAt: nil,
                promptTokensEstimate: 10, outputTokensEstimate: 10, status: "ok", actualCost: Money(nanoUSD: 1_000))
        ])
    }

    @Test func everyCommandAgainstTheDaemon() async throws {
        let daemon = try ControlDaemon(seed: Self.seedYesterday)

        // The socket: 0600 (no group configured) in a directory the daemon created 0700.
        var info = stat()
        #expect(stat(daemon.socket, &info) == 0)
        #expect(info.st_mode & 0o777 == 0o600)
        #expect(stat((daemon.socket as NSString).deletingLastPathComponent, &info) == 0)
        #expect(info.st_mode & 0o777 == 0o700)

        let status = try json(StatusReport.self, daemon.cli(["status", "--json"]))
        #expect(status.providers == 2 && status.offers == 2)
        #expect(status.listen == daemon.address)
        #expect(status.controlSocket == daemon.socket)
        let statusTable = try daemon.cli(["status"])
        #expect(statusTable.stdout.contains("2 providers, 2 offers, 1 policies"), "\(statusTable.stdout)")
        // TOKENBROKER_SOCKET is used when --socket is not given.
        let viaEnvironment = try CLIProcess.run(["status", "--json"], environment: ["TOKENBROKER_SOCKET": daemon.socket])
        #expect(viaEnvironment.status == 0, "\(viaEnvironment.stderr)")

        let providers = try json([ProviderStatus].self, daemon.cli(["providers", "list", "--json"]))
        #expect(providers.map(\.id) == ["alpha", "beta"])
        #expect(providers.allSatisfy { $0.state == "enabled" && $0.demo })
        #expect(try daemon.cli(["providers", "list"]).stdout.contains("PROVIDER"))
        #expect(try daemon.cli(["providers", "show", "alpha"]).stdout.contains("openai"))
        let missing = try daemon.cli(["providers", "show", "nope"])
        #expect(missing.status == 1 && missing.stderr.contains("no provider nope"))

        let offers = try json([OfferListing].self, daemon.cli(["offers", "list", "--sort", "cost", "--json"]))
        #expect(offers.map(\.id.provider) == ["alpha", "beta"])
        #expect(offers.first?.inputUSDPerMtok == "1")
        #expect(try daemon.cli(["offers", "list", "--provider", "beta"]).stdout.contains("beta/m-open"))

        var explanation = try json(RouteExplanation.self, daemon.cli(["route", "explain", "--json"]))
        #expect(explanation.chosen?.provider == "alpha")
        #expect(explanation.candidates.count == 2)

        // Draining alpha takes it out of routing at once; enabling brings it back.
        let drained = try json(ProviderStatus.self, daemon.cli(["providers", "drain", "alpha", "--json"]))
        #expect(drained.state == "draining")
        explanation = try json(RouteExplanation.self, daemon.cli(["route", "explain", "--json"]))
        #expect(explanation.chosen?.provider == "beta")
        #expect(explanation.excluded.contains { $0.provider == "alpha" && $0.reason == "disabled" })
        #expect(try daemon.cli(["providers", "disable", "alpha"]).stdout.contains("alpha: disabled"))
        #expect(try daemon.cli(["providers", "enable", "alpha"]).stdout.contains("alpha: enabled"))

        // A price cut on beta takes effect on the next request: the stream switches from alpha.
        let set = try json(PriceSetResult.self, daemon.cli(["prices", "set", "beta/m-open", "--input", "0.5", "--output", "1", "--json"]))
        #expect(set.appended && set.version.inputUSDPerMtok == "0.5")
        let routed = try await daemon.chat()
        #expect(routed.status == 200)
        #expect(routed.provider == "beta")
        try await Task.sleep(for: .milliseconds(300))  // the decision log commits every 50 ms

        let switches = try json([SwitchRow].self, daemon.cli(["switches", "--json"]))
        #expect(switches.count == 1)
        #expect(switches.first?.fromProvider == "alpha" && switches.first?.toProvider == "beta")
        #expect(switches.first?.decision == routed.decision)
        #expect(switches.first?.tenant == "ops" && switches.first?.policy == "auto")
        #expect(switches.first?.priceEventAt != nil)
        let switchTable = try daemon.cli(["switches", "--since", "1h"])
        #expect(switchTable.stdout.contains("alpha/m-open") && switchTable.stdout.contains("1 switches"), "\(switchTable.stdout)")

        let churn = try json([ChurnRow].self, daemon.cli(["churn", "--period", "day", "--json"]))
        #expect(churn.count == 2)
        #expect(churn.last?.churnedRequests == 1 && churn.last?.requestChurnPercent == "100.00")
        let churnTable = try daemon.cli(["churn"]).stdout
        #expect(churnTable.contains("SPEND CHURN %"))
        // The day everything moved is drawn as a full bar, and the two days as a sparkline.
        #expect(churnTable.contains(String(repeating: "█", count: 20)), "\(churnTable)")
        #expect(churnTable.contains("spend churn over time  ▁█"), "\(churnTable)")
        let loyalty = try json([LoyaltyRow].self, daemon.cli(["loyalty", "--json"]))
        #expect(loyalty.first { $0.provider == "alpha" }?.loyaltyPercent == "0.00")
        let concentration = try json([ConcentrationRow].self, daemon.cli(["concentration", "--json"]))
        #expect(concentration.map(\.hhi) == [10_000, 10_000])
        #expect(concentration.last?.topProvider == "beta")
        #expect(try daemon.cli(["concentration"]).stdout.contains("HHI"))

        let decisions = try json([DecisionView].self, daemon.cli(["decisions", "list", "--tenant", "ops", "--json"]))
        #expect(decisions.first?.id == routed.decision)
        #expect(decisions.first?.switched == true)
        let shown = try json(DecisionView.self, daemon.cli(["decisions", "show", routed.decision ?? "", "--json"]))
        #expect(shown.provider == "beta" && shown.previousProvider == "alpha")
        #expect(try daemon.cli(["decisions", "show", routed.decision ?? ""]).stdout.contains("candidates"))
        #expect(try daemon.cli(["decisions", "list"]).stdout.contains("from alpha"))

        let history = try json([PriceHistoryRow].self, daemon.cli(["prices", "history", "beta/m-open", "--json"]))
        #expect(history.map(\.inputUSDPerMtok) == ["3", "0.5"])

        // Keys: printed once, usable at once, refused at once after revocation.
        let created = try json(CreatedKey.self, daemon.cli(["keys", "create", "--tenant", "search", "--budget", "5", "--json"]))
        #expect(created.tenant == "search" && created.key.count >= 16)
        #expect(try await daemon.chat(key: created.key).status == 200)
        let revoked = try json(KeyRow.self, daemon.cli(["keys", "revoke", created.id, "--json"]))
        #expect(revoked.revokedAt != nil)
        #expect(try await daemon.chat(key: created.key).status == 401)
        let keys = try json([KeyRow].self, daemon.cli(["keys", "list", "--json"]))
        #expect(Set(keys.map(\.tenant)) == ["ops", "search"])
        #expect(try daemon.cli(["keys", "list"]).stdout.contains("search"))
        #expect(try daemon.cli(["keys", "revoke", "key-nope"]).status == 1)

        let policies = try json([PolicyView].self, daemon.cli(["policies", "list", "--json"]))
        #expect(policies.map(\.id) == ["auto"])
        #expect(try daemon.cli(["policies", "show", "auto"]).stdout.contains("cheapest adequate"))

        let credit = try json(CreditView.self, daemon.cli(["credits", "set", "alpha", "--usd", "5", "--expires", "30d", "--json"]))
        #expect(credit.remainingUSD == "5" && credit.expiresAt != nil)
        #expect(try daemon.cli(["credits", "list"]).stdout.contains("alpha"))
        #expect(try daemon.cli(["providers", "show", "alpha", "--json"]).stdout.contains(#""credit_usd" : "5""#))

        let reload = try json(ActionResult.self, daemon.cli(["reload", "--json"]))
        #expect(reload.ok)

        // The control API is plain HTTP + JSON: curl works too.
        let curl = try CLIProcess.run(
            ["--unix-socket", daemon.socket, "-s", "http://localhost/v1/providers/beta"], executable: "/usr/bin/curl")
        #expect(curl.stdout.contains(#""id" : "beta""#), "\(curl.stdout)")
        let notFound = try CLIProcess.run(
            ["--unix-socket", daemon.socket, "-s", "-X", "POST", "-d", "{", "http://localhost/v1/prices"], executable: "/usr/bin/curl")
        #expect(notFound.stdout.contains("bad_request"), "\(notFound.stdout)")
    }

    @Test func badUsageExitsTwoWithAMessage() throws {
        let cases: [([String], String)] = [
            (["prices", "set", "beta/m-open", "--input", "abc", "--output", "1"], "--input"),
            (["prices", "set", "beta", "--input", "1", "--output", "1"], "provider/model"),
            (["churn", "--period", "month"], "month"),
            (["decisions", "list", "--since", "yesterday-ish"], "--since"),
            (["keys", "create", "--tenant", "a", "--period", "week", "--budget", "1"], "--period"),
            (["route", "explain", "--policy", "auto", "--model", "m-open"], "not both"),
            (["keys", "revoke"], "Missing expected argument"),
            (["offers", "list", "--db", "x.sqlite"], "--offline"),
            (["credits", "set", "alpha", "--usd", "-1"], "--usd"),
            // Caught here, not by the daemon (which answered 400, exit 1).
            (["keys", "create", "--tenant", "a", "--budget", "99999999999999999999999999"], "--budget"),
            (["keys", "create", "--tenant", "a", "--budget", "nan"], "--budget"),
            (["keys", "create", "--tenant", "a\nb"], "--tenant"),
            (["credits", "set", "alpha", "--usd", "99999999999999999999999999"], "--usd"),
            (["keys", "create", "--tenant", "a", "--budget", "1000000000000"], "up to 9223372036.85"),
        ]
        for (arguments, text) in cases {
            let result = try CLIProcess.run(arguments + ["--socket", "/nonexistent/tb.sock"])
            #expect(result.status == 2, "\(arguments): \(result.stderr)")
            #expect(result.stderr.contains(text), "\(arguments): \(result.stderr)")
        }
    }

    @Test func aMissingDaemonIsOneLineNamingTheSocket() throws {
        let socket = "/tmp/tbc-missing-\(UUID().uuidString.prefix(8)).sock"
        for command in [["status"], ["providers", "list", "--json"], ["switches"]] {
            let result = try CLIProcess.run(command + ["--socket", socket])
            #expect(result.status == 1)
            #expect(result.stderr == "tokenbroker: tokenbrokerd is not running: no control socket at \(socket) (set --socket or TOKENBROKER_SOCKET)\n")
            #expect(result.stdout.isEmpty)
        }
    }

    /// A process under another uid cannot connect to the 0600 socket; with the socket opened
    /// up, SO_PEERCRED still refuses it, and the refusal is logged; once its uid is allowed, it gets in.
    /// `tokenbroker status --json` on `daemon`'s socket run as nobody (uid and gid 65534, with
    /// setpriv's `groups` options), from a copy of the CLI nobody can reach.
    func statusAsNobody(_ daemon: ControlDaemon, groups: [String] = ["--clear-groups"]) throws -> CLIProcess.Result {
        let cli = daemon.directory.appendingPathComponent("tokenbroker").path
        if !FileManager.default.fileExists(atPath: cli) {
            try FileManager.default.copyItem(atPath: BuiltProducts.executable("tokenbroker").path, toPath: cli)
            chmod(daemon.directory.path, 0o755)
            chmod(cli, 0o755)
        }
        return try CLIProcess.run(
            ["--reuid", "65534", "--regid", "65534"] + groups + [cli, "status", "--json", "--socket", daemon.socket],
            executable: "/usr/bin/setpriv")
    }

    @Test func anotherUIDIsRefused() throws {
        guard getuid() == 0 else { return }  // needs root to run a process as nobody
        let daemon = try ControlDaemon()
        // The socket's directory (0700) keeps the caller out: that is said, not "not running".
        let hidden = try statusAsNobody(daemon)
        #expect(hidden.status == 1)
        #expect(hidden.stderr.contains("permission denied on the directory of the control socket"), "\(hidden.stderr)")

        chmod((daemon.socket as NSString).deletingLastPathComponent, 0o711)
        let denied = try statusAsNobody(daemon)
        #expect(denied.status == 1)
        #expect(denied.stderr.contains("permission denied on the control socket"), "\(denied.stderr)")

        chmod(daemon.socket, 0o666)
        let refused = try statusAsNobody(daemon)
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("refused by tokenbrokerd: pid"), "\(refused.stderr)")
        #expect(refused.stderr.contains("uid 65534"), "\(refused.stderr)")
        // Root is allowed by default.
        #expect(try daemon.cli(["status"]).status == 0)
    }

    @Test func allowedUIDsAreLetIn() throws {
        guard getuid() == 0 else { return }
        let daemon = try ControlDaemon(extraConfig: "control_allowed_uids: [65534]")
        // The daemon made the socket reachable itself (it was 0600 in a 0700 directory).
        var status = stat()
        #expect(stat(daemon.socket, &status) == 0 && status.st_mode & 0o777 == 0o666)
        let allowed = try statusAsNobody(daemon)
        #expect(allowed.status == 0, "\(allowed.stderr)")
    }

    /// A process given a group the user and group databases do not list for its user (as
    /// systemd's `SupplementaryGroups=` does) is a member: the kernel's `SO_PEERGROUPS` says so.
    @Test func aProcesssOwnSupplementaryGroupsCount() throws {
        guard getuid() == 0 else { return }
        let daemon = try ControlDaemon(extraConfig: "control_allowed_gids: [4242]")
        let member = try statusAsNobody(daemon, groups: ["--groups", "4242"])
        #expect(member.status == 0, "\(member.stderr)")
        let outsider = try statusAsNobody(daemon)
        #expect(outsider.status == 1)
        #expect(outsider.stderr.contains("refused by tokenbrokerd"), "\(outsider.stderr)")
    }

    /// A crashed daemon's socket file is replaced; a live daemon's is never taken over.
    @Test func staleSocketsAreReplacedLiveOnesKept() throws {
        let daemon = try ControlDaemon()
        daemon.child?.stop(signal: SIGKILL)
        #expect(FileManager.default.fileExists(atPath: daemon.socket))
        try daemon.start()
        #expect(try daemon.cli(["status"]).status == 0)

        // A second daemon (its own database) pointed at the same socket refuses to start.
        let other = daemon.directory.appendingPathComponent("other.sqlite").path
        let second = try CLIProcess.run(
            ["--config", daemon.config.path, "--db", other, "--listen", "127.0.0.1:0"], executable: "tokenbrokerd")
        #expect(second.status == 1)
        #expect(second.stderr.contains("another tokenbrokerd is serving \(daemon.socket)"), "\(second.stderr)")
        #expect(try daemon.cli(["status"]).status == 0)
    }
}
