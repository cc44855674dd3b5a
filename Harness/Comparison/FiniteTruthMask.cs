using Harness.Model;

namespace Harness.Comparison;

/// <summary>
/// Leaves out of judgement every element whose float64 truth is NaN or Inf: kernel, truth and low-precision reference
/// all hold 0 there, so the element neither fails nor enters the budget, and nothing downstream (metrics, diagnosis)
/// sees a non-finite pair the scenario itself caused.
/// </summary>
public static class FiniteTruthMask
{
    public static (Dictionary<string, HostTensor> Kernel, Dictionary<string, HostTensor> Truth, Dictionary<string, HostTensor> LowPrecision, Dictionary<string, long> Excluded) Apply(
        IReadOnlyDictionary<string, HostTensor> kernel, IReadOnlyDictionary<string, HostTensor> truth, IReadOnlyDictionary<string, HostTensor> lowPrecision)
    {
        var k = new Dictionary<string, HostTensor>(kernel, StringComparer.Ordinal);
        var t = new Dictionary<string, HostTensor>(truth, StringComparer.Ordinal);
        var l = new Dictionary<string, HostTensor>(lowPrecision, StringComparer.Ordinal);
        var excluded = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var (name, truthTensor) in truth)
        {
            var keep = truthTensor.Data.Select(double.IsFinite).ToArray();
            var count = keep.LongCount(f => !f);
            if (count == 0)
            {
                continue;
            }

            excluded[name] = count;
            t[name] = Zeroed(truthTensor, keep);
            if (kernel.TryGetValue(name, out var kt) && kt.Count == truthTensor.Count)
            {
                k[name] = Zeroed(kt, keep);
            }

            if (lowPrecision.TryGetValue(name, out var lt) && lt.Count == truthTensor.Count)
            {
                l[name] = Zeroed(lt, keep);
            }
        }

        return (k, t, l, excluded);
    }

    private static HostTensor Zeroed(HostTensor t, bool[] keep)
    {
        var data = (double[])t.Data.Clone();
        for (var i = 0; i < data.Length; i++)
        {
            if (!keep[i])
            {
                data[i] = 0;
            }
        }

        return new HostTensor((long[])t.Shape.Clone(), data, t.Dtype);
    }
}
