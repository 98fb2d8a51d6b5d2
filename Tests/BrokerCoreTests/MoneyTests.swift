import BrokerCore
import Testing

@Suite struct MoneyTests {
    @Test func parsesDecimalsExactly() {
        #expect(Money(usd: "2.50")?.femtoUSD == 2_500_000_000_000_000)
        #expect(Money(usd: "1e-6")?.femtoUSD == 1_000_000_000)
        #expect(Money(usd: "-0.000000000000001")?.femtoUSD == -1)
        #expect(Money(usd: "abc") == nil)
        #expect(Money(usd: "") == nil)
        #expect(Money(usd: "1.2.3") == nil)
        #expect(Money(usd: "2e") == nil)
    }

    /// Separators group an integer part by three, or the text is no number: read as
    /// thousands, a decimal comma would be wrong by orders of magnitude.
    @Test func thousandsSeparatorsOnlyWhereTheyGroupByThree() {
        #expect(Money(usd: "1,000") == Money(usd: "1000"))
        #expect(Money(usd: "12_500_000.5") == Money(usd: "12500000.5"))
        #expect(Money(usd: "-999,999") == Money(usd: "-999999"))
        for text in ["0,05", "0,000001", "1_0", "1,00", "1,0000", "1000,000,0", ",100", "1,", "0,500", "01,000", "1234,567", "1.000,5"] {
            #expect(Money(usd: text) == nil, "\(text)")
        }
    }

    /// Budgets and credits are stored in nano-dollars in an Int64: above that they were
    /// clamped without a word (a $10^12 budget became $9.2·10^9).
    @Test func operatorAmountsArePlainDecimalsTheStoreCanHold() {
        #expect(Money(operatorUSD: "500.00", allowingZero: false) == Money(usd: "500"))
        #expect(Money(operatorUSD: "9223372036.854775807", allowingZero: false) == Money.storableMaximum)
        #expect(Money(operatorUSD: "0", allowingZero: true) == .zero)
        // Config files and the API took separators and exponents before: still taken.
        #expect(Money(operatorUSD: "1,000", allowingZero: false) == Money(usd: "1000"))
        #expect(Money(operatorUSD: "1e-05", allowingZero: false) == Money(usd: "0.00001"))
        for text in ["0", "0.0000000001", "9223372036.854775808", "1000000000000", "0,05", "-1", "nan", ""] {
            #expect(Money(operatorUSD: text, allowingZero: false) == nil, "\(text)")
        }
        #expect(TenantName.problem("acme-eu") == nil)
        for name in ["", "a/b", "a\nb", "tab\there", String(repeating: "x", count: 201)] {
            #expect(TenantName.problem(name) != nil, "\(name)")
        }
    }

    @Test func roundsBeyondTheScaleHalfEven() {
        #expect(ExactDecimal.parse("0.25", scale: 1) == 2)
        #expect(ExactDecimal.parse("0.35", scale: 1) == 4)
        #expect(ExactDecimal.parse("0.251", scale: 1) == 3)
        #expect(ExactDecimal.parse("2.9999900000000002e-06", scale: 15) == 2_999_990_000)
    }

    @Test func formatsWithoutTrailingZeros() {
        #expect(Money(usd: "0.0000125")!.decimalString() == "0.0000125")
        #expect(Money(usd: "10")!.decimalString() == "10")
        #expect(Money(usd: "-1.5")!.decimalString() == "-1.5")
        #expect(Money(usd: "0.00125")!.decimalString(places: 4) == "0.0012")
        #expect(Money(usd: "0.00135")!.decimalString(places: 4) == "0.0014")
        #expect(Money(usd: "3")!.decimalString(places: 2) == "3.00")
    }

    @Test func tokenPricesMultiplyExactly() {
        let perMtok = TokenPrice(usdPerMtok: "2.50")!
        #expect(perMtok.nanoUSDPerMtok == 2_500_000_000)
        #expect(TokenPrice(usdPerToken: "2.5e-06") == perMtok)
        #expect(perMtok.cost(tokens: 1_000_000) == Money(usd: "2.5"))
        #expect(perMtok.cost(tokens: 1) == Money(usd: "0.0000025"))
        #expect(TokenPrice(usdPerMtok: "-1") == nil)
    }

    @Test func unknownZeroAndKnownAreDifferentFacts() {
        #expect(Price(nanoUSDPerMtok: nil) == .unknown)
        #expect(Price(nanoUSDPerMtok: 0) == .free)
        #expect(Price.unknown.cost(tokens: 100) == nil)
        #expect(Price.free.cost(tokens: 100) == .zero)
        #expect(Price(nanoUSDPerMtok: 1_000).cost(tokens: 100) == Money(femtoUSD: 100_000))
    }

    @Test func storesNanoDollarsRoundedHalfEven() {
        #expect(Money(femtoUSD: 1_500_000).roundedNanoUSD == 2)
        #expect(Money(femtoUSD: 2_500_000).roundedNanoUSD == 2)
        #expect(Money(femtoUSD: -1_500_000).roundedNanoUSD == -2)
        #expect(Money(nanoUSD: 7).femtoUSD == 7_000_000)
    }

    @Test func formatsEveryMagnitudeIncludingBeyondSixtyFourBits() {
        #expect(ExactDecimal.format(0, scale: 3) == "0")
        #expect(ExactDecimal.format(2_500, scale: 3) == "2.5")
        #expect(ExactDecimal.format(-5, scale: 3) == "-0.005")
        #expect(ExactDecimal.format(1_000, scale: 3, keepPlaces: true) == "1.000")
        #expect(ExactDecimal.format(Int128(UInt64.max), scale: 0) == "18446744073709551615")
        #expect(ExactDecimal.format(Int128(UInt64.max) * 1_000 + 5, scale: 3) == "18446744073709551615.005")
        #expect(ExactDecimal.format(Int128.min + 1, scale: 15) == "-170141183460469231731687.303715884105727")
    }
}
