import BrokerCore
import BrokerStore
import Foundation
import Testing

@Suite struct DecisionLogWriterTests {
    static func record(_ index: Int) -> DecisionRecord {
        DecisionRecord(
            id: "d\(index)", at: Date(timeIntervalSince1970: 1_780_000_000 + Double(index)), tenant: "t\(index % 3)",
            policy: "auto", target: "auto", chosen: OfferID(provider: "p\(index % 5)", model: "m"),
            expectedCost: Money(usd: "0.001"), priceEffectiveAt: nil, promptTokensEstimate: 100, outputTokensEstimate: 10)
    }

    @Test func everythingHandedOverFromManyTasksIsWrittenByTheFinalFlush() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("writer-\(UUID().uuidString)/d.sqlite").path
        let store = try SQLiteStore(path: path)
        let writer = DecisionLogWriter(store: store, commitInterval: .milliseconds(20))
        let running = Task { await writer.run() }
        await withTaskGroup(of: Void.self) { group in
            for worker in 0..<8 {
                group.addTask {
                    for index in stride(from: worker, to: 2_000, by: 8) { writer.record(Self.record(index)) }
                }
            }
        }
        running.cancel()
        await running.value
        #expect(try store.decisions(DecisionFilter(limit: 10_000)).count == 2_000)
        let statistics = writer.statistics
        #expect(statistics.written == 2_000 && statistics.pending == 0 && statistics.failedBatches == 0)
    }

    @Test func aRefusingStoreKeepsTheRecordsForTheNextAttempt() throws {
        let store = InMemoryStore()
        let writer = DecisionLogWriter(store: store, maxBuffered: 3)
        try store.recordDecisions([Self.record(1)])
        // A duplicate id makes the whole transaction fail: nothing of the batch is lost.
        writer.record(Self.record(1))
        writer.record(Self.record(2))
        writer.flush()
        #expect(writer.statistics.pending == 2 && writer.statistics.failedBatches == 1)
        #expect(writer.statistics.lastError?.contains("d1") == true)
        // Past the bound the oldest records go, and are counted.
        writer.record(Self.record(3))
        writer.record(Self.record(4))
        #expect(writer.statistics.pending == 3 && writer.statistics.dropped == 1)
        writer.flush()
        #expect(writer.statistics.written == 3)
        #expect(try store.decisions(DecisionFilter()).map(\.id).sorted() == ["d1", "d2", "d3", "d4"])
    }
}
