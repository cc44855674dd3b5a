using Harness.Model;

namespace Harness.Diagnosis.Hypotheses;

/// <summary>Small host-side tensor rearrangements the hypotheses build their alternatives from.</summary>
internal static class HostTensors
{
    /// <summary>The transpose of a 2-D tensor.</summary>
    public static HostTensor Transposed(HostTensor t)
    {
        var (rows, cols) = (t.Shape[0], t.Shape[1]);
        var data = new double[t.Count];
        for (long r = 0; r < rows; r++)
        {
            for (long c = 0; c < cols; c++)
            {
                data[(c * rows) + r] = t.Data[(r * cols) + c];
            }
        }

        return new HostTensor([cols, rows], data, t.Dtype);
    }

    public static HostTensor Zeros(HostTensor like) => new((long[])like.Shape.Clone(), new double[like.Count], like.Dtype);

    public static HostTensor Filled(HostTensor like, double value) => HostTensor.Filled((long[])like.Shape.Clone(), value, like.Dtype);
}
