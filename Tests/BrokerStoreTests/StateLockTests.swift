import BrokerStore
import Foundation
import Testing

@Suite struct StateLockTests {
    @Test func aSecondHolderIsRefusedUntilTheFirstLetsGo() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("lock-\(UUID().uuidString)/tokenbrokerd.lock").path
        var first: StateLock? = try StateLock(path: path)
        let refusal = try #require(throws: StoreError.self) { try StateLock(path: path) }
        #expect(refusal.message.contains("pid \(getpid())"))
        #expect(refusal.message.contains("another tokenbrokerd"))
        #expect(first != nil)
        first = nil
        _ = try StateLock(path: path)
    }
}
