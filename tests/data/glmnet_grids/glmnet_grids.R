# Reference grids and coefficients from R's glmnet (alpha = 0, ridge) for tests/test_glmnet_grid.py.
# Run from this directory:  Rscript glmnet_grids.R
# Inputs: synth.csv, wide.csv, diabetes.csv, longley.csv (made by make_inputs.py): the predictors,
# then `y`, then `w` (sample weights).  Outputs:
#   versions.txt   R and glmnet versions
#   penalty.csv    dataset, j (1-based), penalty factor used in the "penalized" cases
#   grids.csv      dataset, standardize, intercept, weighted, penalized, i, lambda
#                  (glmnet's default lambda sequence, nlambda = 100)
#   coefs.csv      dataset, standardize, intercept, weighted, penalized, i, j, value: coef(fit)
#                  at every 20th lambda of that sequence (j = 0 the intercept), thresh = 1e-14
suppressMessages(library(glmnet))
options(digits = 17)
datasets <- c("synth", "wide", "diabetes", "longley")
penalty <- list(
  synth = c(0, 0.5, 1, 2, 1, 3),
  wide = rep(c(0.5, 1, 2, 1), 10),
  diabetes = c(1, 0, 2, 1, 1, 3, 1, 1, 0.5, 1),
  longley = c(1, 2, 0.5, 1, 1, 0.25)
)
coef_sets <- c("diabetes", "wide")   # glmnet converges tightly on these (see the test)
fmt <- function(x) sprintf("%.17g", x)
writeLines(c(R.version.string, paste("glmnet", as.character(packageVersion("glmnet")))),
           "versions.txt")
pen_rows <- c()
grid_rows <- c()
coef_rows <- c()
for (name in datasets) {
  d <- read.csv(paste0(name, ".csv"))
  p <- ncol(d) - 2
  X <- as.matrix(d[, 1:p]); y <- d$y; w <- d$w
  pen_rows <- c(pen_rows, paste(name, seq_len(p), fmt(penalty[[name]]), sep = ","))
  for (std in c(TRUE, FALSE)) for (intr in c(TRUE, FALSE))
    for (weighted in c(FALSE, TRUE)) for (penalized in c(FALSE, TRUE)) {
      wt <- if (weighted) w else rep(1, nrow(X))
      pf <- if (penalized) penalty[[name]] else rep(1, p)
      fit <- glmnet(X, y, alpha = 0, standardize = std, intercept = intr, weights = wt,
                    penalty.factor = pf)
      key <- paste(name, as.integer(std), as.integer(intr), as.integer(weighted),
                   as.integer(penalized), sep = ",")
      grid_rows <- c(grid_rows, paste(key, seq_along(fit$lambda), fmt(fit$lambda), sep = ","))
      if (name %in% coef_sets) {
        idx <- seq(1, length(fit$lambda), by = 20)
        ref <- glmnet(X, y, alpha = 0, standardize = std, intercept = intr, weights = wt,
                      penalty.factor = pf, lambda = fit$lambda, thresh = 1e-14, maxit = 1e7)
        B <- as.matrix(coef(ref))
        for (i in idx)
          coef_rows <- c(coef_rows, paste(key, i, seq(0, p), fmt(B[, i]), sep = ","))
      }
    }
}
writeLines(c("dataset,j,penalty", pen_rows), "penalty.csv")
writeLines(c("dataset,standardize,intercept,weighted,penalized,i,lambda", grid_rows), "grids.csv")
writeLines(c("dataset,standardize,intercept,weighted,penalized,i,j,value", coef_rows),
           "coefs.csv")
