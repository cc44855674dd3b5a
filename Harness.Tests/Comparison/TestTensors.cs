
namespace Harness.Tests.Comparison;

/// <summary>Small tensors for comparison tests.</summary>
internal static class TestTensors
{
    public static HostTensor Of(ElementType dtype, long[] shape, params double[] values) => new(shape, values, dtype);

    public static HostTensor Vector(params double[] values) => new([values.Length], values, ElementType.Float64);

    public static HostTensor Generate(ElementType dtype, long[] shape, Func<int, double> valueAt)
    {
        long count = 1;
        foreach (var d in shape)
        {
            count *= d;
        }

        var data = new double[count];
        for (var i = 0; i < data.Length; i++)
        {
            data[i] = dtype.Round(valueAt(i));
        }

        return new HostTensor(shape, data, dtype);
    }

    public static HostTensor WithElement(HostTensor t, int flat, double value)
    {
        var data = (double[])t.Data.Clone();
        data[flat] = value;
        return new HostTensor((long[])t.Shape.Clone(), data, t.Dtype);
    }

    public static HostTensor Map(HostTensor t, ElementType dtype, Func<int, double, double> f)
    {
        var data = new double[t.Data.Length];
        for (var i = 0; i < data.Length; i++)
        {
            data[i] = f(i, t.Data[i]);
        }

        return new HostTensor((long[])t.Shape.Clone(), data, dtype);
    }
}
