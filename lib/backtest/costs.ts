/**
 * Transaction costs of corporate-bond trades, as a fraction of the portfolio's NAV.
 *
 *     cost of a trade of |Δw| (fraction of NAV) in bond i =  |Δw|·baᵢ/2 · (1 + k·√(|Δw|·AUM / ADVᵢ))
 *
 * The first term crosses half the quoted bid-ask spread baᵢ (a fraction of price): buying at the ask, selling at the
 * bid. The optional second term is square-root market impact (Almgren, Thum, Hauptmann & Li, 2005; Tóth et al.,
 * 2011): cost per unit traded grows with the square root of the trade's share of the bond's average daily volume
 * ADVᵢ = `volumeShare` × amount outstanding, here in units of the half spread with coefficient k. With k = 0 (the
 * default) only the bid-ask is paid.
 *
 * References:
 * 1. Almgren, R., Thum, C., Hauptmann, E. & Li, H. (2005). Direct estimation of equity market impact. Risk 18(7).
 * 2. Tóth, B. et al. (2011). Anomalous price impact and the critical nature of liquidity in financial markets.
 *    Physical Review X 1, 021006 (the square-root law).
 * @module
 */
import { rangeError, requireBoolean, requireKnownKeys, requireNonNegative, requirePositive } from "../core/check.ts";

/** Square-root impact settings. */
export interface ImpactModel {
  /** k: impact at 100 % of daily volume, in units of the half spread (e.g. 1). */ readonly coefficient: number;
  /** Assets under management, USD. */ readonly aum: number;
  /** Average daily volume as a share of amount outstanding (e.g. 0.002). */ readonly volumeShare: number;
}

/** Cost model of a backtest: half the bid-ask, plus optional square-root impact. */
export interface CostModel {
  /** Charge half the bid-ask on traded notional (default true; false gives a cost-free, gross backtest). */
  readonly bidAsk?: boolean;
  readonly impact?: ImpactModel;
}

/** Checks a cost model and returns a function cost(|Δw|, bid-ask, amount outstanding) → fraction of NAV. */
export function costFunction(model: CostModel = {}): (traded: number, bidAsk: number, amount: number) => number {
  const action = "build cost model";
  requireKnownKeys(action, "costs", model, ["bidAsk", "impact"]);
  if (model.bidAsk !== undefined) requireBoolean(action, "costs.bidAsk", model.bidAsk);
  const impact = model.impact;
  requireKnownKeys(action, "costs.impact", impact, ["coefficient", "aum", "volumeShare"]);
  if (impact) {
    requireNonNegative(action, "impact.coefficient", impact.coefficient);
    requirePositive(action, "impact.aum", impact.aum);
    requirePositive(action, "impact.volumeShare", impact.volumeShare);
  }
  if (model.bidAsk === false) {
    if (impact) {
      throw rangeError(
        action,
        "impact",
        "absent when bidAsk is false (impact is scaled by the half spread)",
        "an impact model",
      );
    }
    return () => 0;
  }
  if (!impact || impact.coefficient === 0) return (traded, bidAsk) => traded * bidAsk * 0.5;
  const { coefficient, aum, volumeShare } = impact;
  return (traded, bidAsk, amount) =>
    traded * bidAsk * 0.5 * (1 + coefficient * Math.sqrt((traded * aum) / (volumeShare * amount)));
}
