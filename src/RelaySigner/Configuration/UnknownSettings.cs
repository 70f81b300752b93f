using System.Collections;
using System.Reflection;
using Microsoft.Extensions.Configuration;

namespace RelaySigner.Configuration;

/// <summary>
/// Finds configuration keys under <c>Relay:</c> that no option binds, with the nearest valid key as a suggestion.
/// The binder ignores unknown keys, so <c>Relay:Smtp:Prot=29025</c> would leave the relay on its default port without a
/// word: a typo in a key is as dangerous as one in a flag.
/// </summary>
public static class UnknownSettings
{
    public static IReadOnlyList<string> Find(IConfiguration configuration)
    {
        var problems = new List<string>();
        var sectionNames = RelaySettingsSchema.Sections.Keys.Select(s => s[(RelaySettingsSchema.Root.Length + 1)..]).ToList();
        foreach (var section in configuration.GetSection(RelaySettingsSchema.Root).GetChildren())
        {
            if (RelaySettingsSchema.Sections.TryGetValue(section.Path, out var type))
            {
                CheckObject(section, type, problems);
            }
            else
            {
                problems.Add(Unknown(section, sectionNames));
            }
        }

        return problems;
    }

    private static void CheckObject(IConfigurationSection section, Type type, List<string> problems)
    {
        var properties = type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.CanWrite || IsMutableCollection(p.PropertyType))
            .ToDictionary(p => p.Name, StringComparer.OrdinalIgnoreCase);
        foreach (var child in section.GetChildren())
        {
            if (properties.TryGetValue(child.Key, out var property))
            {
                CheckValue(child, property.PropertyType, problems);
            }
            else
            {
                problems.Add(Unknown(child, properties.Keys));
            }
        }
    }

    private static void CheckValue(IConfigurationSection section, Type type, List<string> problems)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (IsScalar(type))
        {
            foreach (var child in section.GetChildren())
            {
                problems.Add($"{child.Path} is not a setting: {section.Path} takes a single value");
            }
        }
        else if (DictionaryValueType(type) is { } valueType)
        {
            foreach (var child in section.GetChildren())
            {
                CheckValue(child, valueType, problems);
            }
        }
        else if (ElementType(type) is { } elementType)
        {
            // The binder ignores a single value given for a list (Relay__Smtp__AllowedNetworks=10.0.0.0/8): the
            // defaults would stay in force without a word.
            if (!string.IsNullOrEmpty(section.Value))
            {
                problems.Add($"{section.Path} is a list: give its entries as {section.Path}:0, {section.Path}:1, … (Relay__…__0 in the environment)");
            }

            foreach (var child in section.GetChildren())
            {
                if (child.Key.All(char.IsAsciiDigit))
                {
                    CheckValue(child, elementType, problems);
                }
                else
                {
                    problems.Add($"{child.Path} is not a setting: {section.Path} is a list, its entries are {section.Path}:0, {section.Path}:1, …");
                }
            }
        }
        else
        {
            CheckObject(section, type, problems);
        }
    }

    private static string Unknown(IConfigurationSection section, IEnumerable<string> siblings)
    {
        var parent = section.Path[..^section.Key.Length].TrimEnd(':');
        var nearest = siblings.MinBy(s => Distance(s.ToLowerInvariant(), section.Key.ToLowerInvariant()));
        var suggestion = nearest is not null && Distance(nearest.ToLowerInvariant(), section.Key.ToLowerInvariant()) <= Math.Max(2, section.Key.Length / 3)
            ? $"; did you mean {parent}:{nearest}?"
            : $"; {parent} has {string.Join(", ", siblings.Order(StringComparer.Ordinal))}";
        return $"{section.Path} is not a setting{suggestion}";
    }

    private static bool IsScalar(Type type) =>
        type.IsPrimitive || type.IsEnum || type == typeof(string) || type == typeof(decimal) || type == typeof(TimeSpan)
        || type == typeof(DateTimeOffset) || type == typeof(DateTime) || type == typeof(Uri);

    /// <summary>A get-only property the binder still fills (a List or Dictionary it adds to).</summary>
    private static bool IsMutableCollection(Type type) =>
        type.IsGenericType && (type.GetGenericTypeDefinition() == typeof(List<>) || type.GetGenericTypeDefinition() == typeof(Dictionary<,>));

    private static bool IsCollection(Type type) => type != typeof(string) && typeof(IEnumerable).IsAssignableFrom(type);

    private static Type? DictionaryValueType(Type type) =>
        type.IsGenericType && type.GetGenericArguments() is [var key, var value] && key == typeof(string)
        && typeof(IEnumerable).IsAssignableFrom(type) ? value : null;

    private static Type? ElementType(Type type) =>
        type.IsArray ? type.GetElementType()
        : type.IsGenericType && IsCollection(type) && type.GetGenericArguments() is [var element] ? element
        : null;

    /// <summary>Levenshtein distance, for the suggestion; keys are short, so the plain two-row form is enough.</summary>
    private static int Distance(string a, string b)
    {
        var previous = Enumerable.Range(0, b.Length + 1).ToArray();
        for (var i = 1; i <= a.Length; i++)
        {
            var current = new int[b.Length + 1];
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                current[j] = Math.Min(Math.Min(current[j - 1], previous[j]) + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            }

            previous = current;
        }

        return previous[b.Length];
    }
}
