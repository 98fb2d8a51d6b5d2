import BrokerCore
import Foundation
import Testing

@Suite struct SelfHostedCostTests {
    static let purchased = Date(timeIntervalSince1970: 1_760_000_000)

    func box(_ depreciation: SelfHostedCost.Depreciation) -> SelfHostedCost {
        SelfHostedCost(
            hardwareCost: Money(usd: "32000")!, purchasedAt: Self.purchased, depreciation: depreciation,
            powerWatts: 1_400, electricityPerKWh: Money(usd: "0.15")!, utilisationBasisPoints: 5_000,
            inputTokensPerSecond: 4_000, outputTokensPerSecond: 1_000)
    }

    @Test func straightLineSpreadsTheWriteDownOverTheLife() {
        // (32,000 − 20%) / 36 months + 1.4 kW × 0.15 USD/kWh, at 50% utilisation.
        let prices = box(.straightLine(lifeMonths: 36, residualBasisPoints: 2_000)).prices(at: Self.purchased.addingTimeInterval(86_400))
        #expect(prices.output == Price(nanoUSDPerMtok: 657_476_699))  // ≈ 0.657 USD/Mtok
        #expect(prices.input == Price(nanoUSDPerMtok: 164_369_175))
    }

    @Test func onceWrittenOffOnlyPowerIsPaid() {
        let afterLife = Self.purchased.addingTimeInterval(37 * 2_629_800)
        let prices = box(.straightLine(lifeMonths: 36, residualBasisPoints: 2_000)).prices(at: afterLife)
        #expect(prices.output == Price(nanoUSDPerMtok: 116_666_667))
    }

    @Test func decliningBalanceCostsLessEachYear() {
        let cost = box(.decliningBalance(annualRateBasisPoints: 4_150))
        #expect(cost.prices(at: Self.purchased.addingTimeInterval(86_400)).output == Price(nanoUSDPerMtok: 958_302_279))
        #expect(cost.prices(at: Self.purchased.addingTimeInterval(400 * 86_400)).output == Price(nanoUSDPerMtok: 609_023_500))
    }

    @Test func freeOnlyWhenEverythingIsPaidForAndUnknownWithoutThroughput() {
        var cost = box(.straightLine(lifeMonths: 1, residualBasisPoints: 0))
        cost.electricityPerKWh = .zero
        #expect(cost.prices(at: Self.purchased.addingTimeInterval(90 * 86_400)).output == .free)
        cost.outputTokensPerSecond = 0
        #expect(cost.prices(at: Self.purchased).output == .unknown)
    }
}
