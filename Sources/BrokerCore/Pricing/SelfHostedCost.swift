public import struct Foundation.Date

/// What it costs to produce tokens on the enterprise's own hardware, turned into a price
/// per million tokens at a given date.
///
/// The formula (also in `docs/pricing.md`):
///
///     depreciation/s = straight line:     (hardware − residual) / life            (0 once fully written off)
///                      declining balance: hardware × (1 − r)^k × r / year          (k = whole years since purchase)
///     power/s        = watts × USD per kWh / 3,600,000
///     cost/s         = depreciation/s + power/s
///     USD per input token  = cost/s / (utilisation × input tokens/s)
///     USD per output token = cost/s / (utilisation × output tokens/s)
///
/// Idle time is paid for too, which is why the cost per second is divided by utilisation.
/// Throughputs are the measured ones at full load, not the vendor's.
public struct SelfHostedCost: Sendable, Hashable {
    public var hardwareCost: Money
    public var purchasedAt: Date
    public var depreciation: Depreciation
    public var powerWatts: Int
    public var electricityPerKWh: Money
    /// Share of wall-clock time the hardware spends serving, in basis points (6,000 = 60%).
    public var utilisationBasisPoints: Int
    public var inputTokensPerSecond: Int
    public var outputTokensPerSecond: Int

    public enum Depreciation: Sendable, Hashable {
        /// Equal write-downs over `lifeMonths` until `residualBasisPoints` of the price is left.
        case straightLine(lifeMonths: Int, residualBasisPoints: Int)
        /// A fixed share of the remaining value each year: 4,150 bp a year loses ~80% in three years.
        case decliningBalance(annualRateBasisPoints: Int)
    }

    public init(
        hardwareCost: Money, purchasedAt: Date, depreciation: Depreciation, powerWatts: Int,
        electricityPerKWh: Money, utilisationBasisPoints: Int, inputTokensPerSecond: Int,
        outputTokensPerSecond: Int
    ) {
        self.hardwareCost = hardwareCost
        self.purchasedAt = purchasedAt
        self.depreciation = depreciation
        self.powerWatts = powerWatts
        self.electricityPerKWh = electricityPerKWh
        self.utilisationBasisPoints = utilisationBasisPoints
        self.inputTokensPerSecond = inputTokensPerSecond
        self.outputTokensPerSecond = outputTokensPerSecond
    }

    static let secondsPerYear: Int128 = 31_557_600  // 365.25 days
    static let secondsPerMonth: Int128 = 2_629_800  // a twelfth of that

    /// Write-down per second at `date`, in femto-dollars.
    func depreciationPerSecond(at date: Date) -> Int128 {
        let age = max(0, date.timeIntervalSince(purchasedAt))
        switch depreciation {
        case .straightLine(let lifeMonths, let residualBasisPoints):
            let life = Int128(lifeMonths) * Self.secondsPerMonth
            guard life > 0, Int128(age) < life else { return 0 }
            let residual = hardwareCost.femtoUSD * Int128(residualBasisPoints) / 10_000
            return ExactDecimal.divideRoundingHalfEven(hardwareCost.femtoUSD - residual, by: life)
        case .decliningBalance(let rate):
            let wholeYears = Int(age / Double(Self.secondsPerYear))
            var value = hardwareCost.femtoUSD
            for _ in 0..<min(wholeYears, 200) { value = value * Int128(10_000 - rate) / 10_000 }
            return ExactDecimal.divideRoundingHalfEven(value * Int128(rate), by: 10_000 * Self.secondsPerYear)
        }
    }

    /// Power per second in femto-dollars.
    var powerPerSecond: Int128 {
        ExactDecimal.divideRoundingHalfEven(Int128(powerWatts) * electricityPerKWh.femtoUSD, by: 3_600_000)
    }

    /// The price of one million tokens at `date`; explicitly free once the hardware is written
    /// off and power costs nothing, unknown when throughput or utilisation is not positive.
    public func prices(at date: Date) -> (input: Price, output: Price) {
        let perSecond = depreciationPerSecond(at: date) + powerPerSecond
        func price(tokensPerSecond: Int) -> Price {
            guard tokensPerSecond > 0, utilisationBasisPoints > 0 else { return .unknown }
            // femto-USD per token is numerically nano-USD per Mtok.
            let perToken = ExactDecimal.divideRoundingHalfEven(
                perSecond * 10_000, by: Int128(utilisationBasisPoints) * Int128(tokensPerSecond))
            return Price(nanoUSDPerMtok: Int64(clamping: perToken))
        }
        return (price(tokensPerSecond: inputTokensPerSecond), price(tokensPerSecond: outputTokensPerSecond))
    }

    /// The self-hosted prices at `date` as a price version.
    public func priceVersion(at date: Date, source: String) -> PriceVersion {
        let (input, output) = prices(at: date)
        return PriceVersion(input: input, output: output, effectiveAt: date, source: source)
    }
}
