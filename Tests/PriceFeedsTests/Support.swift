import BrokerCore
import Foundation
import PriceFeeds
import Testing

/// The shared data directory next to the repository (`../shared/data`), which a fresh clone
/// does not have: tests that read it are skipped, visibly, when it is absent.
enum SharedData {
    static let directory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()  // Tests/PriceFeedsTests
        .deletingLastPathComponent()  // Tests
        .deletingLastPathComponent()  // the repository root
        .deletingLastPathComponent()
        .appendingPathComponent("shared/data")

    static func url(_ name: String) -> URL { directory.appendingPathComponent(name) }

    static let isAvailable = ["litellm_model_prices.json", "price_history.csv"].allSatisfy {
        FileManager.default.fileExists(atPath: url($0).path)
    }
}

enum Fixture {
    static func url(_ name: String) throws -> URL {
        let url = Bundle.module.url(forResource: name, withExtension: nil, subdirectory: "Fixtures")
        return try #require(url, "fixture \(name) is missing from the test bundle")
    }
}

/// `mtok("2.5")` is a known price of 2.50 USD per Mtok.
func mtok(_ text: String) -> Price {
    .perMtok(TokenPrice(usdPerMtok: text)!)
}

/// Midnight UTC of a `YYYY-MM-DD` date.
func day(_ text: String) -> Date {
    var calendar = Calendar(identifier: .gregorian)
    calendar.timeZone = TimeZone(identifier: "UTC")!
    let parts = text.split(separator: "-").map { Int($0)! }
    return calendar.date(from: DateComponents(year: parts[0], month: parts[1], day: parts[2]))!
}

extension PriceImport {
    func offer(_ provider: String, _ model: String) -> ImportedOffer? {
        offers.first { $0.id == OfferID(provider: provider, model: model) }
    }
}

/// Bytes of a file written inline in a test.
func bytes(_ text: String) -> Data { Data(text.utf8) }
