import ArgumentParser
import ControlPlane
import Foundation

/// Where the daemon is: `--socket`, then `TOKENBROKER_SOCKET`, then `var/tokenbroker.sock`.
struct DaemonOptions: ParsableArguments {
    @Option(help: "The daemon's control socket (default: $TOKENBROKER_SOCKET, else var/tokenbroker.sock).")
    var socket: String?

    var socketPath: String { ControlSocket.path(flag: socket) }

    /// Runs one exchange with the daemon; an unreachable daemon, a refused caller or a failed
    /// operation ends the command with the daemon's message and exit code 1.
    func call<T>(_ body: (ControlClient) async throws(ControlClientError) -> T) async throws -> T {
        let client: ControlClient
        do {
            client = try ControlClient(socketPath: socketPath)
        } catch {
            throw CommandFailure(description: "cannot start the HTTP client: \(error)")
        }
        do {
            return try await body(client)
        } catch {
            throw CommandFailure(description: error.message)
        }
    }
}

/// Times as operators type them, for `--since` and friends.
enum TimeOption {
    static func validate(_ text: String?, _ name: String) throws {
        if let text, TimeArgument.date(text, now: Date()) == nil {
            throw ValidationError("\(name): not a time (ISO 8601, YYYY-MM-DD, or an age such as 24h, 7d, 30m): \(text)")
        }
    }

    /// The absolute time to send, so the daemon and the CLI agree on "now".
    static func absolute(_ text: String?) -> String? {
        text.flatMap { TimeArgument.date($0, now: Date()) }.map { $0.formatted(.iso8601) }
    }
}

/// Cells for tables: absent values as "-", long ISO times cut to the second.
enum Cell {
    static func text(_ value: String?) -> String { value ?? "-" }

    static func time(_ iso: String?) -> String {
        guard let iso else { return "-" }
        return String(iso.replacingOccurrences(of: "T", with: " ").prefix(19))
    }

    static func duration(seconds: Int) -> String {
        let days = seconds / 86_400
        let hours = seconds % 86_400 / 3_600
        let minutes = seconds % 3_600 / 60
        if days > 0 { return "\(days)d \(hours)h" }
        if hours > 0 { return "\(hours)h \(minutes)m" }
        return "\(minutes)m \(seconds % 60)s"
    }
}
