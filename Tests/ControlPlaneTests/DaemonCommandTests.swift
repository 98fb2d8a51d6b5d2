import BrokerFixtures
import BrokerStore
import Foundation
import Testing

/// `tokenbrokerd` as a real process: it syncs the catalogue, and refuses state another daemon holds.
@Suite struct DaemonCommandTests {
    func run(_ arguments: [String]) throws -> CLIProcess.Result {
        try CLIProcess.run(arguments, executable: "tokenbrokerd")
    }

    @Test func syncsTheCatalogueOnceAndRefusesLockedState() throws {
        let db = FileManager.default.temporaryDirectory.appendingPathComponent("daemon-\(UUID().uuidString)/tb.sqlite").path
        let first = try run(["--db", db])
        #expect(first.status == 0, "\(first.stderr)")
        #expect(first.stdout.contains("price versions appended"))
        let again = try run(["--db", db])
        #expect(again.stdout.contains("0 price versions appended"))

        let held = try StateLock(path: db + ".lock")
        let refused = try run(["--db", db])
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("another tokenbrokerd (pid \(getpid()))"), "\(refused.stderr)")
        withExtendedLifetime(held) {}
    }

    @Test func aBrokenProviderDirectoryIsNamed() throws {
        let refused = try run(["--providers", "/nonexistent/providers", "--check"])
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("/nonexistent/providers"))
    }
}
