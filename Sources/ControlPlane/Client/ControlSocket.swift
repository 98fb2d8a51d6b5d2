public import Foundation

/// Where the CLI finds the daemon's control socket: `--socket`, then `TOKENBROKER_SOCKET`,
/// then the daemon's own default (`control_socket` in its configuration).
public enum ControlSocket {
    /// The daemon's default `control_socket`, relative to the directory it runs in.
    public static let defaultPath = "var/tokenbroker.sock"

    public static func path(flag: String?, environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        if let flag, !flag.isEmpty { return flag }
        if let variable = environment["TOKENBROKER_SOCKET"], !variable.isEmpty { return variable }
        return defaultPath
    }
}
