using RealtimeHead.Imaging;

namespace RealtimeHead.Training.Reporting;

/// <summary>
/// A 3×5 pixel font (digits, lower-case letters, '.', '-', '+', ':', '/', '=') for labelling plots without a font
/// library. Upper-case letters draw as lower-case; other characters as blanks.
/// </summary>
internal static class PixelFont
{
    public const int GlyphWidth = 3;
    public const int GlyphHeight = 5;

    // Each glyph: 5 rows of 3 bits, most significant bit = left column.
    private static readonly Dictionary<char, int[]> Glyphs = new()
    {
        ['0'] = [7, 5, 5, 5, 7], ['1'] = [2, 6, 2, 2, 7], ['2'] = [7, 1, 7, 4, 7], ['3'] = [7, 1, 7, 1, 7],
        ['4'] = [5, 5, 7, 1, 1], ['5'] = [7, 4, 7, 1, 7], ['6'] = [7, 4, 7, 5, 7], ['7'] = [7, 1, 1, 1, 1],
        ['8'] = [7, 5, 7, 5, 7], ['9'] = [7, 5, 7, 1, 7],
        ['a'] = [2, 5, 7, 5, 5], ['b'] = [6, 5, 6, 5, 6], ['c'] = [7, 4, 4, 4, 7], ['d'] = [6, 5, 5, 5, 6],
        ['e'] = [7, 4, 6, 4, 7], ['f'] = [7, 4, 6, 4, 4], ['g'] = [7, 4, 5, 5, 7], ['h'] = [5, 5, 7, 5, 5],
        ['i'] = [7, 2, 2, 2, 7], ['j'] = [1, 1, 1, 5, 7], ['k'] = [5, 5, 6, 5, 5], ['l'] = [4, 4, 4, 4, 7],
        ['m'] = [5, 7, 7, 5, 5], ['n'] = [6, 5, 5, 5, 5], ['o'] = [7, 5, 5, 5, 7], ['p'] = [7, 5, 7, 4, 4],
        ['q'] = [7, 5, 5, 7, 1], ['r'] = [6, 5, 6, 5, 5], ['s'] = [7, 4, 7, 1, 7], ['t'] = [7, 2, 2, 2, 2],
        ['u'] = [5, 5, 5, 5, 7], ['v'] = [5, 5, 5, 5, 2], ['w'] = [5, 5, 7, 7, 5], ['x'] = [5, 5, 2, 5, 5],
        ['y'] = [5, 5, 2, 2, 2], ['z'] = [7, 1, 2, 4, 7],
        ['.'] = [0, 0, 0, 0, 2], ['-'] = [0, 0, 7, 0, 0], ['+'] = [0, 2, 7, 2, 0], [':'] = [0, 2, 0, 2, 0],
        ['/'] = [1, 1, 2, 4, 4], ['='] = [0, 7, 0, 7, 0], ['_'] = [0, 0, 0, 0, 7],
    };

    /// <summary>Width in pixels of <paramref name="text"/> at <paramref name="scale"/> (one blank column between glyphs).</summary>
    public static int Measure(string text, int scale) => text.Length == 0 ? 0 : (text.Length * (GlyphWidth + 1) - 1) * scale;

    /// <summary>Draws <paramref name="text"/> with its top-left corner at (x, y); pixels outside the image are dropped.</summary>
    public static void Draw(RgbImage image, string text, int x, int y, int scale, (byte R, byte G, byte B) colour)
    {
        foreach (var ch in text)
        {
            if (Glyphs.TryGetValue(char.ToLowerInvariant(ch), out var rows))
            {
                for (var row = 0; row < GlyphHeight; row++)
                {
                    for (var column = 0; column < GlyphWidth; column++)
                    {
                        if ((rows[row] >> (GlyphWidth - 1 - column) & 1) == 0) continue;
                        Canvas.Fill(image, x + column * scale, y + row * scale, scale, scale, colour);
                    }
                }
            }
            x += (GlyphWidth + 1) * scale;
        }
    }
}
