# R's MASS::mcycle (Silverman 1985: head acceleration in g of a simulated motorcycle accident,
# times in ms after impact) and an independent P-spline oracle on it, for
# tests/test_generalized.py and the README's smoothing-spline example.  Run: Rscript mcycle.R
#
# Writes
#   mcycle.csv        the data (133 rows: times, accel)
#   basis.csv         the cubic B-spline basis B (133 x 23) of splines::splineDesign on 20 equal
#                     segments of [min(times), max(times)] (knots.csv: the 27 knots)
#   pspline.csv       for each lambda of a grid: the effective df trace(H), the RSS, the GCV
#                     (RSS/n)/(1 - df/n)^2 and the exact LOO mean squared error
#                     mean(((y - yhat)/(1 - h))^2), with
#                     H = B (B'B + lambda D'D)^-1 B', D the second differences (no intercept:
#                     the B-spline basis holds the constants)
#   coef.csv          the coefficients at lambda = 10
#   versions.txt      R and package versions
library(MASS)
library(splines)
data(mcycle)
write.csv(mcycle, "mcycle.csv", row.names = FALSE)
x <- mcycle$times
y <- mcycle$accel
n <- length(y)
nseg <- 20
deg <- 3
h <- (max(x) - min(x)) / nseg
knots <- min(x) + h * (-deg:(nseg + deg))
B <- splineDesign(knots, x, ord = deg + 1)
write.csv(data.frame(knot = knots), "knots.csv", row.names = FALSE)
write.csv(B, "basis.csv", row.names = FALSE)
p <- ncol(B)
D <- diff(diag(p), differences = 2)
P <- crossprod(D)
lambdas <- 10^seq(-2, 4, by = 0.5)
rows <- lapply(lambdas, function(lam) {
  A <- crossprod(B) + lam * P
  H <- B %*% solve(A, t(B))
  yhat <- drop(H %*% y)
  hii <- diag(H)
  df <- sum(hii)
  rss <- sum((y - yhat)^2)
  data.frame(lambda = lam, df = df, rss = rss, gcv = (rss / n) / (1 - df / n)^2,
             loo = mean(((y - yhat) / (1 - hii))^2))
})
write.csv(do.call(rbind, rows), "pspline.csv", row.names = FALSE)
coef <- solve(crossprod(B) + 10 * P, crossprod(B, y))
write.csv(data.frame(coef = drop(coef)), "coef.csv", row.names = FALSE)
writeLines(c(R.version.string, paste("MASS", packageVersion("MASS")),
             paste("splines", packageVersion("splines"))), "versions.txt")
