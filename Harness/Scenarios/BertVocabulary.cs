using System.Text;

namespace Harness.Scenarios;

/// <summary>A WordPiece vocab.txt, one token a line. Line endings are normalised to LF (the NuGet models ship CRLF, which would end every token in '\r').</summary>
public sealed class BertVocabulary
{
    private readonly byte[] text;

    public BertVocabulary(string source, string text)
    {
        Source = source;
        this.text = Encoding.UTF8.GetBytes(text.Replace("\r\n", "\n", StringComparison.Ordinal));
    }

    /// <summary>Where it came from, as error messages name it.</summary>
    public string Source { get; }

    public static BertVocabulary FromFile(string path) => new(path, File.ReadAllText(path));

    public Stream Open() => new MemoryStream(text, writable: false);
}
