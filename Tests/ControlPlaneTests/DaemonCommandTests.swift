import BrokerFixtures
import BrokerStore
import Foundation
import Testing

/// `tokenbrokerd` as a real process: it syncs the catalogue, and refuses state another daemon holds.
@Suite struct DaemonCommandTests {
    func run(_ arguments: [String]) throws -> CLIProcess.Result {
        try CLIProcess.run(arguments, executable: "tokenbrokerd")
    }

    /// The daemon serves until stopped, so it runs as a child process on a free port with its
    /// own control socket; a second daemon on the same state is refused, naming the holder.
    @Test func syncsTheCatalogueAndRefusesLockedState() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("daemon-\(UUID().uuidString)")
        let db = directory.appendingPathComponent("tb.sqlite").path
        defer { try? FileManager.default.removeItem(at: directory) }
        let arguments = ["--db", db, "--listen", "127.0.0.1:0", "--exit-with-parent"]
        let first = try ChildProcess(
            executable: BuiltProducts.executable("tokenbrokerd"), arguments: arguments, readyMarker: "listening on")
        let refused = try run(arguments)
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("another tokenbrokerd (pid \(first.processIdentifier))"), "\(refused.stderr)")
        #expect(first.stop() == 0)
        #expect(try SQLiteStore(path: db).priceHistory(PriceHistoryFilter()).count > 0)

        let held = try StateLock(path: db + ".lock")
        let locked = try run(arguments)
        #expect(locked.status == 1)
        #expect(locked.stderr.contains("another tokenbrokerd (pid \(getpid()))"), "\(locked.stderr)")
        withExtendedLifetime(held) {}
    }

    @Test func aBrokenProviderDirectoryIsNamed() throws {
        let refused = try run(["--providers", "/nonexistent/providers", "--check"])
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("/nonexistent/providers"))
    }
}
