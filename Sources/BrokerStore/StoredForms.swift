import BrokerCore
import ExactJSON
import Foundation

/// How catalogue values are written into columns and JSON text; shared by both stores so
/// they cannot disagree.
enum StoredForms {
    static func seconds(_ date: Date) -> Int64 { Int64(date.timeIntervalSince1970.rounded(.down)) }
    static func date(seconds: Int64) -> Date { Date(timeIntervalSince1970: TimeInterval(seconds)) }
    static func milliseconds(_ date: Date) -> Int64 { Int64((date.timeIntervalSince1970 * 1_000).rounded()) }
    static func date(milliseconds: Int64) -> Date { Date(timeIntervalSince1970: TimeInterval(milliseconds) / 1_000) }

    static func capabilities(_ capabilities: Capabilities) -> String { capabilities.names.joined(separator: ",") }
    static func capabilities(_ text: String) -> Capabilities {
        Capabilities(names: text.split(separator: ",").map(String.init)) ?? []
    }

    static func list(_ values: Set<String>?) -> String? { values.map { $0.sorted().joined(separator: ",") } }
    static func set(_ text: String?) -> Set<String>? { text.map { Set($0.split(separator: ",").map(String.init)) } }

    struct Tier: Codable {
        var above: Int
        var input: Int64?
        var cached: Int64?
        var output: Int64?
    }

    static func tiers(_ tiers: [LongContextTier]) -> String {
        let rows = tiers.map {
            Tier(above: $0.aboveTokens, input: $0.input.nanoUSDPerMtok, cached: $0.cachedInput.nanoUSDPerMtok, output: $0.output.nanoUSDPerMtok)
        }
        return json(rows)
    }

    static func tiers(_ text: String) -> [LongContextTier] {
        decode([Tier].self, text)?.map {
            LongContextTier(
                aboveTokens: $0.above, input: Price(nanoUSDPerMtok: $0.input),
                cachedInput: Price(nanoUSDPerMtok: $0.cached), output: Price(nanoUSDPerMtok: $0.output))
        } ?? []
    }

    struct Hardware: Codable {
        var hardwareNUSD: Int64
        var purchasedAt: Int64
        var method: String
        var lifeMonths: Int?
        var residualBP: Int?
        var annualRateBP: Int?
        var powerWatts: Int
        var electricityNUSDPerKWh: Int64
        var utilisationBP: Int
        var inputTPS: Int
        var outputTPS: Int
    }

    static func hardware(_ cost: SelfHostedCost?) -> String? {
        guard let cost else { return nil }
        var row = Hardware(
            hardwareNUSD: cost.hardwareCost.roundedNanoUSD, purchasedAt: seconds(cost.purchasedAt), method: "",
            powerWatts: cost.powerWatts, electricityNUSDPerKWh: cost.electricityPerKWh.roundedNanoUSD,
            utilisationBP: cost.utilisationBasisPoints, inputTPS: cost.inputTokensPerSecond, outputTPS: cost.outputTokensPerSecond)
        switch cost.depreciation {
        case .straightLine(let life, let residual):
            row.method = "straight_line"
            row.lifeMonths = life
            row.residualBP = residual
        case .decliningBalance(let rate):
            row.method = "declining_balance"
            row.annualRateBP = rate
        }
        return json(row)
    }

    static func hardware(_ text: String?) -> SelfHostedCost? {
        guard let text, let row = decode(Hardware.self, text) else { return nil }
        let depreciation: SelfHostedCost.Depreciation =
            row.method == "straight_line"
            ? .straightLine(lifeMonths: row.lifeMonths ?? 0, residualBasisPoints: row.residualBP ?? 0)
            : .decliningBalance(annualRateBasisPoints: row.annualRateBP ?? 0)
        return SelfHostedCost(
            hardwareCost: Money(nanoUSD: row.hardwareNUSD), purchasedAt: date(seconds: row.purchasedAt),
            depreciation: depreciation, powerWatts: row.powerWatts,
            electricityPerKWh: Money(nanoUSD: row.electricityNUSDPerKWh), utilisationBasisPoints: row.utilisationBP,
            inputTokensPerSecond: row.inputTPS, outputTokensPerSecond: row.outputTPS)
    }

    /// `["a","b"]`: the decision log writes several per decision, so no JSONEncoder.
    static func json(_ strings: [String]) -> String {
        var bytes: [UInt8] = [UInt8(ascii: "[")]
        for (index, string) in strings.enumerated() {
            if index > 0 { bytes.append(UInt8(ascii: ",")) }
            JSONWriter.writeString(string, into: &bytes)
        }
        bytes.append(UInt8(ascii: "]"))
        return String(decoding: bytes, as: UTF8.self)
    }

    /// `{"a":1,"b":2}` with the keys sorted.
    static func json(_ counts: [String: Int]) -> String {
        var bytes: [UInt8] = [UInt8(ascii: "{")]
        for (index, key) in counts.keys.sorted().enumerated() {
            if index > 0 { bytes.append(UInt8(ascii: ",")) }
            JSONWriter.writeString(key, into: &bytes)
            bytes.append(UInt8(ascii: ":"))
            bytes.append(contentsOf: String(counts[key]!).utf8)
        }
        bytes.append(UInt8(ascii: "}"))
        return String(decoding: bytes, as: UTF8.self)
    }

    static func json(_ value: some Encodable) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return (try? encoder.encode(value)).map { String(decoding: $0, as: UTF8.self) } ?? "null"
    }

    static func decode<T: Decodable>(_ type: T.Type, _ text: String) -> T? {
        try? JSONDecoder().decode(type, from: Data(text.utf8))
    }
}
