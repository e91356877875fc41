# Reference values from R's MASS::lm.ridge for tests/test_path_select.py and tests/test_gcv.py.
# Run from this directory:  Rscript make.R
# Data: "synth", generated here (set.seed(20261203), n = 40, 5 correlated predictors), and
# "longley", R's datasets::longley in its raw units (Employed ~ the six others).
# Outputs (every number printed with 17 significant digits):
#   versions.txt   R and MASS versions
#   data.csv       dataset, i (1-based row), x1..x6 (NA past a dataset's columns), y
#   ridge.csv      dataset, i (1-based lambda), lambda, GCV, then j = 0..p: coef(fit) on the
#                  raw scale (j = 0 the intercept), as coef0..coef6, and the scaled
#                  coefficients fit$coef (the predictors centred and divided by their population
#                  SD, y centred) as scaled1..scaled6
#   estimates.csv  dataset, kHKB, kLW, and the lambda(s) select() names (";"-joined)
#   select.txt     select(fit) printed for each dataset
suppressMessages(library(MASS))
fmt <- function(x) ifelse(is.na(x), "NA", sprintf("%.17g", x))
writeLines(c(R.version.string, paste("MASS", as.character(packageVersion("MASS")))),
           "versions.txt")

set.seed(20261203)
n <- 40
z <- rnorm(n)
synth <- data.frame(x1 = z + 0.3 * rnorm(n), x2 = 2 * z + rnorm(n), x3 = rnorm(n, 5, 3),
                    x4 = 0.5 * rnorm(n) - z, x5 = runif(n, 0, 10))
synth$y <- with(synth, 1 + 2 * x1 - x2 + 0.3 * x3 + 0.5 * x4 + 0.1 * x5 + 2 * rnorm(n))
longley <- datasets::longley
longley_x <- longley[, c("GNP.deflator", "GNP", "Unemployed", "Armed.Forces", "Population",
                         "Year")]
sets <- list(
  synth = list(X = synth[, 1:5], y = synth$y,
               lambda = c(0, 10^seq(-3, 3, length.out = 49))),
  longley = list(X = longley_x, y = longley$Employed,
                 lambda = c(0, 10^seq(-5, 0, length.out = 51)))
)
data_rows <- c("dataset,i,x1,x2,x3,x4,x5,x6,y")
ridge_rows <- c(paste0("dataset,i,lambda,GCV,", paste0("coef", 0:6, collapse = ","), ",",
                       paste0("scaled", 1:6, collapse = ",")))
est_rows <- c("dataset,kHKB,kLW,select_lambda")
sel <- c()
for (name in names(sets)) {
  s <- sets[[name]]
  X <- as.matrix(s$X); p <- ncol(X)
  colnames(X) <- paste0("x", seq_len(p))
  pad <- function(v, len) c(v, rep(NA, len - length(v)))
  for (i in seq_len(nrow(X)))
    data_rows <- c(data_rows, paste(name, i, paste(fmt(pad(X[i, ], 6)), collapse = ","),
                                    fmt(s$y[i]), sep = ","))
  d <- data.frame(X, y = s$y)
  fit <- lm.ridge(y ~ ., data = d, lambda = s$lambda)
  raw <- coef(fit)                      # (length(lambda), p + 1), intercept first
  scaled <- t(fit$coef)                 # (length(lambda), p)
  for (i in seq_along(s$lambda))
    ridge_rows <- c(ridge_rows, paste(name, i, fmt(s$lambda[i]), fmt(fit$GCV[i]),
                                      paste(fmt(pad(raw[i, ], 7)), collapse = ","),
                                      paste(fmt(pad(scaled[i, ], 6)), collapse = ","),
                                      sep = ","))
  best <- s$lambda[fit$GCV == min(fit$GCV)]
  est_rows <- c(est_rows, paste(name, fmt(fit$kHKB), fmt(fit$kLW),
                                paste(fmt(best), collapse = ";"), sep = ","))
  sel <- c(sel, paste0("## ", name), capture.output(select(fit)))
}
writeLines(data_rows, "data.csv")
writeLines(ridge_rows, "ridge.csv")
writeLines(est_rows, "estimates.csv")
writeLines(sel, "select.txt")
