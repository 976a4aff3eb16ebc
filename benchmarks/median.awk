# The median of a space-separated list of numbers (the upper middle of an even count), for the
# comparison scripts' summaries: awk -f benchmarks/median.awk -f <(echo 'PROGRAM') FILE.
function median(list,   n, values, i, j, t) {
  n = split(list, values, " ")
  for (i = 2; i <= n; i++) { t = values[i] + 0; for (j = i - 1; j >= 1 && values[j] + 0 > t; j--) values[j + 1] = values[j]; values[j + 1] = t }
  return values[int(n / 2) + 1]
}
