"""tradecoop.complexity"""
