namespace Harness.Scenarios;

/// <summary>One tensor's header entry: dtype name as the file spells it, shape, and byte range relative to the data section.</summary>
public sealed record SafetensorsEntry(string Name, string Dtype, long[] Shape, long Begin, long End)
{
    public long ElementCount
    {
        get
        {
            long count = 1;
            foreach (var d in Shape)
            {
                count = checked(count * d);
            }

            return count;
        }
    }

    public string ShapeText => $"[{string.Join(", ", Shape)}]";
}
