using Microsoft.Data.Sqlite;
using RelaySigner.Queue;

namespace RelaySigner.Tests.Queue;

public sealed class PreparedCommandsTests
{
    [Fact]
    public void A_statement_is_compiled_once_per_connection_and_handed_out_clean_in_each_new_transaction()
    {
        using var connection = new SqliteConnection("Data Source=:memory:");
        connection.Open();
        using (var create = connection.CreateCommand())
        {
            create.CommandText = "CREATE TABLE t (v INTEGER)";
            create.ExecuteNonQuery();
        }

        SqliteCommand first;
        using (var tx = connection.BeginTransaction())
        {
            first = tx.Prepared("INSERT INTO t (v) VALUES ($v)");
            first.Parameters.AddWithValue("$v", 1);
            first.ExecuteNonQuery();
            tx.Commit();
        }

        using (var tx = connection.BeginTransaction())
        {
            var again = tx.Prepared("INSERT INTO t (v) VALUES ($v)");

            Assert.Same(first, again);
            Assert.Empty(again.Parameters);
            Assert.Same(tx, again.Transaction);
            again.Parameters.AddWithValue("$v", 2);
            again.ExecuteNonQuery();
            tx.Commit();
        }

        using var sum = connection.CreateCommand();
        sum.CommandText = "SELECT SUM(v) FROM t";
        Assert.Equal(3L, sum.ExecuteScalar());
    }
}
